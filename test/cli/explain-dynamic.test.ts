/**
 * explain never prints a run-time value as if it were known: JSON gives null, text `<dynamic>`.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import { explainFile, formatExplainText } from '../../server/src/cli/explain';

const text =
  'docker buildx create --name k --driver kubernetes --driver-opt "namespace=$NS,image=${IMG},replicas=2" ' +
  '--driver-opt \'"nodeselector=kubernetes.io/os=linux,pool=\'"$POOL"\'"\' --driver-opt \'"tolerations=key=\'"$K"\',operator=Exists"\'\n';

describe('explain with dynamic values', () => {
  const items = explainFile('x.sh', lint({ text, fileName: 'x.sh' }).model);
  const opts = items[0].driverOpts as Record<string, Record<string, unknown> | unknown[]>;

  it('gives null for values known only at run time, the value otherwise', () => {
    expect(opts.options).toMatchObject({ namespace: null, image: null, replicas: '2' });
    // An expansion inside a multi-value item may carry `,` or `=` itself: what it holds is unknown.
    expect(opts.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', '<dynamic>': null });
    expect(opts.tolerations).toEqual([{ operator: 'Exists', '<dynamic>': null }]);
  });

  it('never prints an empty string or the placeholder character for them', () => {
    const json = JSON.stringify(items);
    expect(json).not.toContain('""');
    expect(json).not.toContain('\uE000');
    const out = formatExplainText(items);
    expect(out).toContain('"namespace": <dynamic>,');
    expect(out).not.toContain('\uE000');
  });
});

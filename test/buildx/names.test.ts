import { describe, expect, it } from 'vitest';
import { buildxNameError, checkBuilderName, checkNodeName, kubernetesObjectName } from '../../server/src/buildx/names';

describe('buildx name rule (store_test)', () => {
  it.each(['mybuild', 'a', 'My.Builder_1-x'])('%s is valid', (n) => expect(buildxNameError(n)).toBeNull());
  it.each(['foo/bar', '123builder', '', '-x', 'a b', 'é'])('%j is invalid', (n) =>
    expect(buildxNameError(n)).toBe(`invalid name ${n}, name needs to start with a letter and may not contain symbols, except ._-`),
  );
  it('default is reserved (exact case only in buildx)', () => {
    expect(checkBuilderName('default').map((p) => [p.kind, p.severity])).toEqual([['reserved-name', 'error']]);
    expect(checkBuilderName('default')[0].message).toContain('buildx: default is a reserved name and cannot be used to identify builder instance');
    expect(checkBuilderName('Default').map((p) => [p.kind, p.severity])).toEqual([['reserved-name', 'warning']]);
    expect(checkBuilderName('mybuild')).toEqual([]);
  });
});

describe('kubernetes node names', () => {
  it('derives the deployment name', () => expect(kubernetesObjectName('My_Node0')).toBe('my-node0'));
  it.each(['node0', 'my_node', 'a.b'])('%s ok', (n) => expect(checkNodeName(n, 'kubernetes')).toEqual([]));
  it.each(['node_', 'a.-b', 'a..b', 'x'.repeat(64), 'node-'])('%s rejected', (n) => expect(checkNodeName(n, 'kubernetes').map((p) => p.kind)).toEqual(['k8s-invalid-node-name']));
  it('other drivers only apply the buildx rule', () => {
    expect(checkNodeName('node_', 'docker-container')).toEqual([]);
    expect(checkNodeName('1node', 'docker-container').map((p) => p.kind)).toEqual(['invalid-name']);
  });
});

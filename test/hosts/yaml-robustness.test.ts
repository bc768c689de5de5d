/**
 * The YAML hosts on damaged and large inputs: mutated examples never throw and keep every span
 * inside the file; a large workflow and a deeply nested one are read in bounded time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import { growth } from '../harness/cost';
import { mulberry32 } from '../harness/random';

const EXAMPLES = ['.github/workflows/buildx.yml', '.gitlab-ci.yml', 'actions/buildx-setup/action.yml'];
const PIECES = ['\n', ' ', '  ', '- ', ': ', '|', '>-', '"', "'", '\\', '${{ ', ' }}', '$[[ ', '#', '[', '{', ',', '\t', 'driver-opts: ', 'append: |\n  - name: x\n    driver-opts: y\n'];

describe('YAML hosts robustness', () => {
  it('mutated examples lint without throwing, spans inside the file', () => {
    const r = mulberry32(31337);
    for (const rel of EXAMPLES) {
      const original = readFileSync(join(__dirname, '../../examples', rel), 'utf8');
      for (let n = 0; n < 150; n++) {
        let text = original;
        for (let k = 0; k < 1 + Math.floor(r() * 4); k++) {
          const at = Math.floor(r() * text.length);
          text = r() < 0.5 ? text.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 8));
        }
        const res = lint({ text, fileName: rel });
        for (const d of res.diagnostics) {
          expect(d.span.start).toBeGreaterThanOrEqual(0);
          expect(d.span.end).toBeLessThanOrEqual(text.length);
          // Empty CSV fields of build flags (`a,,b`) get an empty span in every host, the shell
          // one too: a build-flag matter, not a YAML one. The hosts' own findings never do.
          if (/^KBX61/.test(d.code) || !/empty|has no "="/.test(d.message)) expect(d.span.end, `${rel} ${d.code} ${d.message}`).toBeGreaterThan(d.span.start);
        }
      }
    }
  });

  it('a workflow with 1000 steps and a deeply nested file are read in time linear in their size', () => {
    const workflow = (pairs: number) => {
      const steps: string[] = [];
      for (let i = 0; i < pairs; i++) {
        steps.push(
          '      - uses: docker/setup-buildx-action@v3',
          '        with:',
          '          driver: kubernetes',
          '          driver-opts: |',
          `            namespace=ns${i}`,
          '            nodeselector=a=b,c=d',
        );
        steps.push('      - run: |', `          docker buildx build --platform linux/amd64,linux/arm64 -t app:${i} .`);
      }
      return ['jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', ...steps, ''].join('\n');
    };
    let res: ReturnType<typeof lint> | undefined;
    // 250 steps against 1000: about 4x when linear, 16x when quadratic.
    const big = growth(workflow, (text) => (res = lint({ text, fileName: '.github/workflows/big.yml' })), 125, { runs: 2 });
    expect(res!.invocations.length).toBe(1000);
    expect(big.ratio, big.describe).toBeLessThan(10);
    const deep = growth(
      (k) => 'job:\n  script: ' + '['.repeat(k) + ']'.repeat(k) + '\n',
      (text) => lint({ text, fileName: '.gitlab-ci.yml' }),
      5_000,
      { runs: 2 },
    );
    expect(deep.ratio, deep.describe).toBeLessThan(10);
  });
});

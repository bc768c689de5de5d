/**
 * The word of `${X:+w}` and `${X:-w}`: its expansion is field-split when the whole expansion is
 * unquoted, so `${URL:+--label "src=$URL"}` gives docker two arguments, and none when URL is
 * empty. Checked against bash and dash with a stub `docker` first on PATH.
 */
import { describe, expect, it } from 'vitest';
import { argvOf, codes, invocationsOf } from '../harness/lint-helpers';
import { runScript } from '../harness/stub-docker';

const argvs = (script: string) => invocationsOf(script).map(argvOf);

describe('operands of ${X:+w} and ${X:-w}', () => {
  it('splits an unquoted operand at its blanks and keeps its quoted parts whole', () => {
    const script = [
      'URL="https://example.com/a b"',
      'docker buildx build ${URL:+--label "src=${URL}"} -t r/a .',
      'docker buildx build ${NONE:-"--label" x=1  --pull} -t r/a .',
      'docker buildx build ${URL:+--label  l=1	--pull} -t r/a .',
      '',
    ].join('\n');
    const want = [
      ['buildx', 'build', '--label', 'src=https://example.com/a b', '-t', 'r/a', '.'],
      ['buildx', 'build', '--label', 'x=1', '--pull', '-t', 'r/a', '.'],
      ['buildx', 'build', '--label', 'l=1', '--pull', '-t', 'r/a', '.'],
    ];
    expect(argvs(script)).toEqual(want);
    expect(runScript(script).calls).toEqual(want);
    expect(runScript(script, 'dash').calls).toEqual(want);
    expect(codes(script)).toEqual([]);
  });

  it('keeps a quoted expansion, and an assignment value, one word', () => {
    const script = ['S=x', 'docker buildx build "${S:+-t r/a}" .', 'A=${S:+-t r/b}', 'docker buildx build --label "$A" .', ''].join('\n');
    const want = [
      ['buildx', 'build', '-t r/a', '.'],
      ['buildx', 'build', '--label', '-t r/b', '.'],
    ];
    expect(argvs(script)).toEqual(want);
    expect(runScript(script).calls).toEqual(want);
  });

  it('gives nothing for an empty variable', () => {
    const script = 'URL=\ndocker buildx build ${URL:+--label "src=$URL"} -t r/a .\n';
    expect(argvs(script)).toEqual([['buildx', 'build', '-t', 'r/a', '.']]);
    expect(runScript(script).calls).toEqual([['buildx', 'build', '-t', 'r/a', '.']]);
  });
});

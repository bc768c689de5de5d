/**
 * `--ssh`: buildx `util/buildflags/ssh.go` (ParseSSHSpecs).
 */
import type { Span } from '../../core/span';
import { type MappedString, spanOf, splitFirst, splitMapped } from '../../core/mapped-string';
import { type Problem, type Parsed, problem, whole, dyn, q } from './problem';

export const SSH_PROBLEM_KINDS = ['ssh-duplicate-id', 'ssh-empty-path'] as const;
export type SshProblemKind = (typeof SSH_PROBLEM_KINDS)[number];

export interface SshSpec {
  id: string;
  paths: string[];
  span: Span;
}

export function parseSsh(v: MappedString): Parsed<SshSpec> {
  const problems: Problem[] = [];
  if (v.text === '') return { value: null, problems };
  const [id, rest] = splitFirst(v, '=');
  const spec: SshSpec = { id: id.text === '' ? 'default' : id.text, paths: [], span: spanOf(v) };
  if (rest !== null) {
    const parts = splitMapped(rest, ',');
    for (const p of parts) {
      spec.paths.push(p.text);
      if (p.text === '') {
        problems.push(problem('ssh-empty-path', 'warning', v, 0, v.text.length, `--ssh ${q(v.text)} has an empty socket/key path (nothing after "=" or a doubled comma); buildx will fail to read it`));
      }
    }
  }
  return { value: spec, problems };
}

/** checkSshList reports ids given twice across `--ssh` occurrences. */
export function checkSshList(values: MappedString[]): Problem[] {
  const seen = new Map<string, MappedString>();
  const problems: Problem[] = [];
  for (const v of values) {
    if (v.text === '' || dyn(splitFirst(v, '=')[0])) continue;
    const id = splitFirst(v, '=')[0].text || 'default';
    if (seen.has(id)) {
      problems.push(whole('ssh-duplicate-id', 'error', v, `--ssh id ${q(id)} is given twice; put all sockets/keys of one id in one value (id=a,b); buildx: duplicate agent ID ${q(id)}`));
    } else {
      seen.set(id, v);
    }
  }
  return problems;
}

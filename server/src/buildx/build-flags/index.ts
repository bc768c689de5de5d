/**
 * Value parsers for `docker buildx build` flags, one module per flag family along the seams of
 * buildx's `util/buildflags/` (plus `build/build.go` and `build/utils.go` where buildx parses a
 * flag itself), and the checker for flag combinations. Each parser takes one flag occurrence as a
 * MappedString so problems point at the exact characters; values containing a run-time expansion
 * (DYNAMIC) are never judged on the unknown part.
 */
export * from './output';
export * from './cache';
export * from './secrets';
export * from './ssh';
export * from './attests';
export * from './reference';
export * from './tags';
export * from './context';
export * from './entitlements';
export * from './extra-hosts';
export * from './annotations';
export * from './ulimit';
export * from './modes';
export * from './resources';
export * from './key-value';
export * from './combinations';
export type { Parsed, Problem } from './problem';
import { OUTPUT_PROBLEM_KINDS, type OutputProblemKind } from './output';
import { CACHE_PROBLEM_KINDS, type CacheProblemKind } from './cache';
import { SECRETS_PROBLEM_KINDS, type SecretsProblemKind } from './secrets';
import { SSH_PROBLEM_KINDS, type SshProblemKind } from './ssh';
import { ATTESTS_PROBLEM_KINDS, type AttestsProblemKind } from './attests';
import { TAGS_PROBLEM_KINDS, type TagsProblemKind } from './tags';
import { CONTEXT_PROBLEM_KINDS, type ContextProblemKind } from './context';
import { ENTITLEMENTS_PROBLEM_KINDS, type EntitlementsProblemKind } from './entitlements';
import { EXTRA_HOSTS_PROBLEM_KINDS, type ExtraHostsProblemKind } from './extra-hosts';
import { ANNOTATIONS_PROBLEM_KINDS, type AnnotationsProblemKind } from './annotations';
import { ULIMIT_PROBLEM_KINDS, type UlimitProblemKind } from './ulimit';
import { MODES_PROBLEM_KINDS, type ModesProblemKind } from './modes';
import { RESOURCES_PROBLEM_KINDS, type ResourcesProblemKind } from './resources';
import { KEY_VALUE_PROBLEM_KINDS, type KeyValueProblemKind } from './key-value';
import { COMBINATIONS_PROBLEM_KINDS, type CombinationsProblemKind } from './combinations';
import { BOOL_WORD_PROBLEM_KINDS, type BoolWordProblemKind } from './bool-words';
export * from './bool-words';

/** Every problem kind the build-flag model emits. */
export const BUILD_FLAG_PROBLEM_KINDS = [
  ...OUTPUT_PROBLEM_KINDS,
  ...CACHE_PROBLEM_KINDS,
  ...SECRETS_PROBLEM_KINDS,
  ...SSH_PROBLEM_KINDS,
  ...ATTESTS_PROBLEM_KINDS,
  ...TAGS_PROBLEM_KINDS,
  ...CONTEXT_PROBLEM_KINDS,
  ...ENTITLEMENTS_PROBLEM_KINDS,
  ...EXTRA_HOSTS_PROBLEM_KINDS,
  ...ANNOTATIONS_PROBLEM_KINDS,
  ...ULIMIT_PROBLEM_KINDS,
  ...MODES_PROBLEM_KINDS,
  ...RESOURCES_PROBLEM_KINDS,
  ...KEY_VALUE_PROBLEM_KINDS,
  ...COMBINATIONS_PROBLEM_KINDS,
  ...BOOL_WORD_PROBLEM_KINDS,
] as const;
export type BuildFlagProblemKind =
  | OutputProblemKind
  | CacheProblemKind
  | SecretsProblemKind
  | SshProblemKind
  | AttestsProblemKind
  | TagsProblemKind
  | ContextProblemKind
  | EntitlementsProblemKind
  | ExtraHostsProblemKind
  | AnnotationsProblemKind
  | UlimitProblemKind
  | ModesProblemKind
  | ResourcesProblemKind
  | KeyValueProblemKind
  | CombinationsProblemKind
  | BoolWordProblemKind;
export * from './analyse';

/**
 * A problem as the file model reports it: the model's own problem plus the command, builder and
 * words it concerns, which a rule needs to build a fix or point at a related location.
 */
import type { Problem } from '../core/problem';
import type { Arg, FlagOccurrence, Invocation } from '../extract/invocation';
import type { CreateModel } from './model';

export interface ModelProblem<K extends string = string> extends Problem<K> {
  inv?: Invocation;
  create?: CreateModel;
  /** The flag occurrence the problem is about. */
  flag?: FlagOccurrence;
  /** A word of argv the problem is about (a stray positional, a separate boolean value). */
  word?: Arg;
  /** The text that would replace `span` when the intent is certain enough to suggest it. */
  replacement?: string;
}

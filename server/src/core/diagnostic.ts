import type { Fix } from './fix';
import type { Span } from './span';

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedInfo {
  span: Span;
  message: string;
}

/** Diagnostic is one finding, located by original-file span. */
export interface Diagnostic {
  span: Span;
  severity: Severity;
  /** Rule code, e.g. `KBX101`. */
  code: string;
  /** Rule name, e.g. `driver-opt-unquoted-comma`. */
  name: string;
  /** A short statement of the problem. */
  message: string;
  /** What to do about it, when that is not obvious from the message. */
  help?: string;
  /** The exact error buildx (or the Kubernetes API server) prints for this input, when it prints one. */
  upstream?: string;
  /** Who prints `upstream` when it is not buildx: the Kubernetes API server or the Docker daemon. */
  upstreamFrom?: 'kubernetes' | 'docker';
  related?: RelatedInfo[];
  fix?: Fix;
}

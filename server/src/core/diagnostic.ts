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
  message: string;
  related?: RelatedInfo[];
  fix?: Fix;
}

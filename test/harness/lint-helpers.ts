/** Small helpers shared by tests: lint a snippet, find invocations, read spans back. */
import { lint, buildModel, type LanguageId } from '../../server/src/engine/lint';
import type { Invocation } from '../../server/src/extract/invocation';
import { DYNAMIC } from '../../server/src/core/mapped-string';

export function modelOf(text: string, fileName = 'test.sh', languageId?: LanguageId) {
  return buildModel({ text, fileName, languageId });
}

export function invocationsOf(text: string, fileName = 'test.sh'): Invocation[] {
  return modelOf(text, fileName).invocations;
}

/** argv as explain prints it: null for dynamic arguments. */
export function argvOf(inv: Invocation): (string | null)[] {
  return inv.argv.map((a) => (a.static && !a.value.text.includes(DYNAMIC) ? a.value.text : null));
}

export function lintText(text: string, fileName = 'test.sh', config?: Parameters<typeof lint>[1]) {
  return lint({ text, fileName }, config);
}

/** codes lists the rule codes reported, in order. */
export function codes(text: string, fileName = 'test.sh'): string[] {
  return lintText(text, fileName).diagnostics.map((d) => d.code);
}

export function spanText(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

/**
 * KBX101: a comma inside a multi-value option (nodeselector, labels, annotations, tolerations)
 * that the CSV layer treats as a field separator, so the rest becomes a separate option.
 */
import { goQuote } from '../buildx/goparse';
import type { Span } from '../core/span';
import { spansOverlap } from '../core/span';
import { buildxText, forEachDriverOptProblem } from './driver-opt-support';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX101',
    name: 'driver-opt-unquoted-comma',
    summary: 'A comma splits a multi-value driver option into separate options',
    severity: 'error',
    fixable: 'sometimes',
    enabledByDefault: true,
    docs: {
      what:
        'Finds `--driver-opt` values where a comma meant to separate items of `nodeselector`, `labels`, `annotations` or `tolerations` is read by buildx\'s CSV layer as the end of the option. It names what buildx will see instead, and says when the double quotes you wrote were removed by the shell before buildx saw them.',
      why:
        'buildx parses every `--driver-opt` as one CSV record after the shell has removed its own quotes. `nodeselector=a=1,b=2` is two options, `nodeselector=a=1` and `b=2`, and `b` is not a driver option, so `buildx create` fails. The value must be one CSV field wrapped in double quotes that reach buildx: `\'"nodeselector=a=1,b=2"\'`.',
      example: 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt \'"nodeselector=kubernetes.io/arch=amd64,pool=ci"\'',
      fixSafety:
        'Safe when every piece split off is not an option of the driver: the fix re-joins them into one CSV field quoted for buildx and re-quotes the word for the shell (keeping `$VAR` parts expanding, and `$$` in Makefiles). No fix when the word is partly dynamic in the edited part.',
      buildxSays: 'invalid driver option pool for driver kubernetes',
    },
  },
  check(model, ctx) {
    forEachDriverOptProblem(
      model,
      (p) => (p.kind === 'unknown-key' || p.kind === 'field-without-equals') && typeof p.data?.splitFrom === 'string',
      (p, create) => {
        const field = (p.data?.fieldSpan as Span | undefined) ?? p.span;
        const splitFrom = p.data!.splitFrom as string;
        const text = model.text.slice(field.start, field.end);
        const piece = (p.data?.field as string | undefined) ?? text;
        const flag = create.driverOptFlags.find((f) => f.valueSpan && spansOverlap(f.valueSpan, field));
        // The comma sat inside shell double quotes: the author meant to protect it, but the shell
        // removed those quotes and buildx never saw them.
        const holder = flag?.valueArg ?? flag?.arg;
        const shellRemoved = !!holder && holder.quotedSpans.some((q) => model.text[q.start] === '"' && q.start < field.start && q.end > field.start);
        const said = buildxText(p.message);
        const suggestion = p.data?.suggestion as string | undefined;
        const related = p.data?.splitFromSpan ? [{ span: p.data.splitFromSpan as Span, message: `the ${splitFrom} option ends at the comma before ${goQuote(piece)}` }] : undefined;
        return {
          span: field,
          message:
            `buildx will read ${goQuote(piece)} as a separate driver option: the unquoted comma ends the ${splitFrom} value` +
            (shellRemoved ? ' (the shell removed the double quotes you wrote before buildx saw them)' : '') +
            (suggestion ? `; make it one CSV field: ${suggestion}` : '') +
            (said ? `; buildx: ${said}` : ''),
          related,
        };
      },
      ctx,
    );
  },
});

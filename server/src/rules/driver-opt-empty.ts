/**
 * KBX106: An empty --driver-opt value.
 */
import { defineRule, reportOf } from './rule';

export default defineRule({
  meta: {
    code: 'KBX106',
    name: 'driver-opt-empty',
    summary: 'An empty --driver-opt value',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['empty-record'],
    docs: {
      what: 'Reports `--driver-opt ""`, often the result of an empty variable written as a literal.',
      why: 'go-csvvalue returns EOF for an empty record and `buildx create` fails with the puzzling message `EOF`.',
      example: 'docker buildx create --driver kubernetes --driver-opt ""',
      useInstead: 'docker buildx create --driver kubernetes',
      fixSafety: 'No fix is offered.',
      buildxSays: 'EOF',
    },
  },
  onProblem(p) {
    const create = p.create!;
    // The empty value has no characters: point at the word that produced it (`""`, `''`).
    const flag = create.driverOptFlags.find((f) => f.value?.text === '' && f.valueSpan && f.valueSpan.start <= p.span.start && p.span.end <= Math.max(f.valueSpan.end, f.valueSpan.start));
    const span = flag?.valueSpan && flag.valueSpan.end > flag.valueSpan.start ? flag.valueSpan : (flag?.nameSpan ?? p.span);
    return { ...reportOf(p), span };
  },
});

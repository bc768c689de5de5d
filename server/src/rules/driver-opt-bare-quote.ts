/**
 * KBX102: A double quote inside an unquoted CSV field.
 */
import { forEachDriverOptProblem, plainReport } from './driver-opt-support';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX102',
    name: 'driver-opt-bare-quote',
    summary: 'A double quote inside an unquoted CSV field',
    severity: 'error',
    fixable: 'sometimes',
    enabledByDefault: true,
    docs: {
      what: 'Reports a `"` that reaches buildx in the middle of a `--driver-opt` field, as in `key="a,b"` when the quotes are protected from the shell.',
      why: 'CSV quotes must wrap the whole field. go-csvvalue rejects a quote that does not start the field, so `buildx create` fails.',
      example: "docker buildx create --driver kubernetes --driver-opt 'nodeselector=\"a=1,b=2\"'",
      useInstead: "docker buildx create --driver kubernetes --driver-opt '\"nodeselector=a=1,b=2\"'",
      fixSafety: 'Safe: when the quotes wrap exactly the value (`key="…"`), the fix moves the opening quote to the start of the field, which is what the author meant.',
      buildxSays: 'parse error on line 1, column 14: bare " in non-quoted-field',
    },
  },
  check(model, ctx) {
    forEachDriverOptProblem(model, (p) => p.kind === 'csv-bare-quote', plainReport, ctx);
  },
});

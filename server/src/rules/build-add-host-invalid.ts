/**
 * KBX508: An --add-host entry that is not host=ip.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX508',
    name: 'build-add-host-invalid',
    summary: 'An --add-host entry that is not host=ip',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['add-host-csv', 'add-host-invalid', 'add-host-multiline', 'add-host-comma-split'],
    docs: {
      what: 'Splits `--add-host` as pflag does (CSV, first line only) and checks each entry is `host=ip` or `host:ip` with valid IP addresses or `host-gateway`. Reports entries created by an unquoted comma (`a=1.1.1.1,2.2.2.2` gives a separate entry `2.2.2.2`) and lines that pflag drops.',
      why: 'buildx stops with `invalid host …`; dropped lines silently lose host entries.',
      example: 'docker buildx build --add-host db=10.0.0.5,10.0.0.6 .',
      useInstead: 'docker buildx build --add-host db=10.0.0.5 --add-host db=10.0.0.6 .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'invalid host 10.0.0.6',
    },
  },
});

/**
 * KBX204: Incomplete or relative TLS options of the remote driver.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX204',
    name: 'remote-tls-options',
    summary: 'Incomplete or relative TLS options of the remote driver',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['remote-tls-incomplete', 'remote-path-not-absolute'],
    docs: {
      what: 'Checks the remote driver TLS options: `cacert`, `cert` and `key` must be absolute paths, and once any of `servername`, `cacert`, `cert`, `key` is set, `cacert` and both `cert` and `key` are required.',
      why: 'buildx rejects the builder at creation.',
      example: 'docker buildx create --driver remote --driver-opt cacert=certs/ca.pem,cert=/certs/cert.pem tcp://buildkitd:1234',
      useInstead: 'docker buildx create --driver remote --driver-opt cacert=/certs/ca.pem,cert=/certs/cert.pem,key=/certs/key.pem tcp://buildkitd:1234',
      fixSafety: 'No fix is offered.',
      buildxSays: "non-absolute path 'certs/ca.pem' provided for cacert",
    },
  },
});

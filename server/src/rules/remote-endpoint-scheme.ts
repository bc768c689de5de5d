/**
 * KBX435: a remote-driver endpoint whose URL scheme buildx does not dial.
 */
import { DYNAMIC } from '../core/mapped-string';
import { defineRule } from './rule';

/** The schemes of driver/remote/util/endpoint.go (buildx 461836ba0). */
const SCHEMES = ['docker-container', 'kube-pod', 'npipe', 'ssh', 'tcp', 'unix'];

/**
 * goUrlScheme is the scheme Go's url.Parse finds (net/url getScheme, lower-cased), or null when
 * url.Parse would fail before any scheme check (a `:` first) — that error is not this rule's.
 */
export function goUrlScheme(raw: string): string | null {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) return '';
      continue;
    }
    if (c === ':') return i === 0 ? null : raw.slice(0, i).toLowerCase();
    return '';
  }
  return '';
}

export default defineRule({
  meta: {
    code: 'KBX435',
    name: 'remote-endpoint-scheme',
    summary: 'A remote endpoint with a URL scheme buildx does not support',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports the endpoint argument of `docker buildx create --driver remote` when its URL scheme is not one buildx dials: `tcp`, `unix`, `ssh`, `npipe`, `docker-container` or `kube-pod`. `https://`, `tls://`, `grpc://` and a bare `host:port` are common mistakes.',
      why: 'buildx validates the endpoint before it stores the builder and stops with `unrecognized url scheme`; TLS to a BuildKit daemon is `tcp://` plus the `cacert`/`cert`/`key` driver options.',
      example: 'docker buildx create --name remote --driver remote https://buildkitd.example.com:1234',
      useInstead: 'docker buildx create --name remote --driver remote --driver-opt cacert=/certs/ca.pem,cert=/certs/cert.pem,key=/certs/key.pem tcp://buildkitd.example.com:1234',
      fixSafety: 'No fix is offered: the right scheme and TLS options depend on the daemon.',
      buildxSays: 'unrecognized url scheme https',
    },
  },
  check(model, ctx) {
    for (const c of model.creates) {
      if (c.driver !== 'remote' || !c.endpoint || !c.endpoint.static || c.leave === true) continue;
      const text = c.endpoint.value.text;
      if (text.includes(DYNAMIC)) continue;
      const scheme = goUrlScheme(text);
      if (scheme === null || SCHEMES.includes(scheme)) continue;
      const tlsLike = scheme === 'https' || scheme === 'tls' || scheme === 'grpcs';
      const hostPort = /^[^:/]+:\d+$/.test(text);
      const firstSegment = text.split('/')[0];
      const upstream =
        scheme === '' && firstSegment.includes(':')
          ? `failed to parse endpoint ${text}: parse ${JSON.stringify(text)}: first path segment in URL cannot contain colon`
          : `unrecognized url scheme ${scheme}`;
      ctx.report({
        span: c.endpoint.span,
        message: hostPort
          ? `the remote endpoint ${JSON.stringify(text)} has no URL scheme${scheme ? `: Go reads ${JSON.stringify(scheme)} as one` : ''}`
          : scheme
            ? `the remote driver cannot dial a ${scheme}:// endpoint`
            : `the remote endpoint ${JSON.stringify(text)} has no URL scheme`,
        help: tlsLike
          ? 'use tcp:// and give the TLS files with --driver-opt cacert=…,cert=…,key=…'
          : hostPort
            ? `write tcp://${text}`
            : 'write the address as tcp://HOST:PORT (or unix://, ssh://, npipe://, docker-container://, kube-pod://)',
        upstream,
      });
    }
  },
});

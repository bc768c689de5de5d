/**
 * Kubernetes driver sub-grammars (nodeselector/labels/annotations lists, tolerations, resource
 * quantities) parsed exactly as buildx does, followed by the API-server rules buildx leaves to
 * Kubernetes. Everything stays a MappedString so each finding points at its own characters.
 */
import { type MappedString, DYNAMIC, hasDynamic, sliceMapped, spanOf, splitMapped } from '../core/mapped-string';
import { type DriverOptEntry, type DriverOptProblemKind, type DriverOptProblemOf, driverOptProblem } from './driver-opt-entry';

/** Problems of the kubernetes driver's options, as the Kubernetes API server would judge them. */
export const KUBERNETES_PROBLEM_KINDS = [
  'invalid-key-value-pair',
  'reserved-key',
  'k8s-invalid-key',
  'k8s-invalid-value',
  'k8s-annotations-too-long',
  'toleration-piece-dropped',
  'toleration-unknown-field',
  'empty-toleration',
  'k8s-unsupported-value',
  'k8s-toleration-rule',
  'k8s-negative-quantity',
  'k8s-request-exceeds-limit',
  'ephemeral-storage-request-as-limit',
  'ephemeral-storage-request-ignored',
  'k8s-negative-replicas',
  'k8s-invalid-name',
  'k8s-invalid-env-name',
  'k8s-env-name-strict',
  'k8s-invalid-image',
  'rootless-empty-image',
] as const;
export type KubernetesProblemKind = (typeof KUBERNETES_PROBLEM_KINDS)[number];
/** Quantities and tolerationSeconds that do not parse are invalid values, as for any driver. */
type DriverOptProblem = DriverOptProblemOf<KubernetesProblemKind | Extract<DriverOptProblemKind, 'invalid-value'>>;
import { atoi, compareQuantity, goQuote, parseBool, parseInt10, parseQuantity, type Quantity } from './goparse';

export interface KV {
  key: MappedString;
  value: MappedString;
  /** The whole `key=value` item. */
  item: MappedString;
}

export interface Toleration {
  /** The `;`-separated piece this toleration came from. */
  piece: MappedString;
  key?: MappedString;
  operator?: MappedString;
  value?: MappedString;
  effect?: MappedString;
  tolerationSeconds?: MappedString;
  seconds?: number;
  /** Some field holds a run-time expansion: API rules are not applied. */
  dynamic: boolean;
}

export interface ResourceQuantity {
  entry: DriverOptEntry;
  quantity: Quantity;
}

export interface KubernetesOpts {
  nodeSelector: KV[];
  labels: KV[];
  annotations: KV[];
  tolerations: Toleration[];
  /** Parsed quantities by driver-opt key (requests.cpu, limits.memory, …). */
  resources: Map<string, ResourceQuantity>;
  replicas?: number;
  rootless?: boolean;
  /** The image buildx would deploy, when static. */
  image?: string;
  /** A PVC turns the Deployment into a StatefulSet. */
  statefulSet: boolean;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes name rules (k8s.io/apimachinery/pkg/util/validation), with Kubernetes' own texts.

const QNAME_CHAR = '[-A-Za-z0-9_.]';
const QNAME_RE = new RegExp(`^([A-Za-z0-9]${QNAME_CHAR}*)?[A-Za-z0-9]$`);
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const QNAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

export function isDns1123Subdomain(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 253) errs.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN_RE.test(s)) errs.push(DNS1123_SUBDOMAIN_MSG);
  return errs;
}

export function isDns1123Label(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1123_LABEL_RE.test(s)) errs.push(DNS1123_LABEL_MSG);
  return errs;
}

/** isQualifiedName is Kubernetes IsQualifiedName (label keys, annotation keys, toleration keys). */
export function isQualifiedName(s: string): string[] {
  const parts = s.split('/');
  let name: string;
  const errs: string[] = [];
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const e of isDns1123Subdomain(prefix)) errs.push('prefix part ' + e);
  } else {
    return ['a qualified name ' + QNAME_MSG + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QNAME_RE.test(name)) errs.push('name part ' + QNAME_MSG);
  return errs;
}

export function isLabelValue(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE_RE.test(s)) errs.push(LABEL_VALUE_MSG);
  return errs;
}

const ENV_STRICT_RE = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Strict Kubernetes env-var name rule (IsEnvVarName). */
export function isEnvVarName(s: string): string[] {
  const errs: string[] = [];
  if (!ENV_STRICT_RE.test(s))
    errs.push(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    );
  if (s === '.') errs.push("must not be '.'");
  else if (s === '..') errs.push("must not be '..'");
  else if (s.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** Relaxed rule (RelaxedEnvironmentVariableValidation, on by default). */
export function isRelaxedEnvVarName(s: string): string[] {
  if (s.length === 0) return ['environment variable name must be non-empty'];
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (cp < 0x20 || cp > 0x7e || c === '=') return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------

function problem(kind: DriverOptProblem['kind'], s: MappedString, message: string, severity: DriverOptProblem['severity'] = 'error', data?: Record<string, unknown>): DriverOptProblem {
  return driverOptProblem(kind, spanOf(s), message, severity, data);
}

export type MultiValueKind = 'nodeselector' | 'labels' | 'annotations';

const MULTI_PREFIX: Record<MultiValueKind, string> = {
  nodeselector: 'cannot parse node selector: ',
  labels: 'cannot parse labels: ',
  annotations: 'cannot parse annotations: ',
};

/**
 * splitMultiValues parses a nodeselector/labels/annotations value like buildx: trim every leading
 * and trailing `"`, split on `,`, and require each item to split on `=` into exactly two parts.
 * Buildx stops at the first bad item; every bad item is reported here.
 */
export function splitMultiValues(value: MappedString, what: MultiValueKind): { pairs: KV[]; problems: DriverOptProblem[] } {
  let from = 0;
  let to = value.text.length;
  while (from < to && value.text[from] === '"') from++;
  while (to > from && value.text[to - 1] === '"') to--;
  const inner = sliceMapped(value, from, to);
  const pairs: KV[] = [];
  const problems: DriverOptProblem[] = [];
  for (const item of splitMapped(inner, ',')) {
    // An expansion may carry `=` or `,` itself: only the static items are judged.
    if (hasDynamic(item.text)) continue;
    const parts = splitMapped(item, '=');
    if (parts.length === 2) {
      pairs.push({ key: parts[0], value: parts[1], item });
      continue;
    }
    const buildx = `${MULTI_PREFIX[what]}invalid key-value pair: ${item.text}`;
    let message: string;
    const data: Record<string, unknown> = { item: item.text };
    if (item.text === '') {
      message = `empty item in ${what} ${goQuote(value.text)}, expected key=value; buildx: ${buildx}`;
    } else if (parts.length === 1 && item.text.includes(':')) {
      const suggestion = item.text.replace(':', '=');
      data.suggestion = suggestion;
      message = `${what} item ${goQuote(item.text)} uses ':' instead of '=', expected ${goQuote(suggestion)}; buildx: ${buildx}`;
    } else if (parts.length === 1) {
      message = `${what} item ${goQuote(item.text)} has no '=', expected key=value; buildx: ${buildx}`;
    } else {
      message = `${what} item ${goQuote(item.text)} has more than one '=', ${what} values cannot contain '='; buildx: ${buildx}`;
    }
    problems.push(problem('invalid-key-value-pair', item, message, 'error', data));
  }
  return { pairs, problems };
}

const RESERVED_LABEL = 'app';
const RESERVED_ANNOTATION = 'buildx.docker.com/platform';

/** validateKVs applies the reserved-key rules of buildx and the API-server syntax rules. */
export function validateKVs(pairs: KV[], what: MultiValueKind): DriverOptProblem[] {
  const out: DriverOptProblem[] = [];
  let total = 0;
  for (const { key, value } of pairs) {
    total += Buffer.byteLength(key.text) + Buffer.byteLength(value.text);
    if (what === 'labels' && key.text === RESERVED_LABEL) {
      out.push(problem('reserved-key', key, `label "app" is set by buildx to the deployment name; buildx: the label "app" is reserved and cannot be customized`));
      continue;
    }
    if (what === 'annotations' && key.text === RESERVED_ANNOTATION) {
      out.push(
        problem(
          'reserved-key',
          key,
          `annotation "buildx.docker.com/platform" is set by buildx from --platform; buildx: the annotation "buildx.docker.com/platform" is reserved and cannot be customized`,
        ),
      );
      continue;
    }
    const noun = what === 'nodeselector' ? 'node selector' : what === 'labels' ? 'label' : 'annotation';
    const keyText = what === 'annotations' ? key.text.toLowerCase() : key.text;
    const keyErrs = isQualifiedName(keyText);
    if (keyErrs.length > 0) {
      const data: Record<string, unknown> = {};
      if (key.text.trim() !== key.text && isQualifiedName(key.text.trim().toLowerCase()).length === 0) data.suggestion = key.text.trim();
      out.push(problem('k8s-invalid-key', key, `${noun} key ${goQuote(key.text)} is not a valid Kubernetes qualified name; kubernetes: ${keyErrs.join('; ')}`, 'error', data));
    }
    if (what !== 'annotations') {
      const valErrs = isLabelValue(value.text);
      if (valErrs.length > 0)
        out.push(problem('k8s-invalid-value', value.text === '' ? key : value, `${noun} value ${goQuote(value.text)} is not a valid Kubernetes label value; kubernetes: ${valErrs.join('; ')}`));
    }
  }
  if (what === 'annotations' && total > 262144 && pairs.length > 0)
    out.push(problem('k8s-annotations-too-long', pairs[0].item, `annotations total ${total} bytes, kubernetes allows at most 262144 bytes: may not be more than 256kB`));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tolerations

const TOLERATION_FIELDS = new Set(['key', 'operator', 'value', 'effect', 'tolerationSeconds']);
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function caseFix(text: string, options: string[]): string | undefined {
  const low = text.trim().toLowerCase();
  return options.find((o) => o.toLowerCase() === low);
}

/** parseTolerations reproduces buildx's tolerations parser and then applies the API rules. */
export function parseTolerations(value: MappedString): { tolerations: Toleration[]; problems: DriverOptProblem[] } {
  const tolerations: Toleration[] = [];
  const problems: DriverOptProblem[] = [];
  const whole = goQuote(value.text);
  for (const piece of splitMapped(value, ';')) {
    const t: Toleration = { piece, dynamic: hasDynamic(piece.text) };
    for (const field of splitMapped(piece, ',')) {
      if (hasDynamic(field.text)) continue;
      const parts = splitMapped(field, '=');
      if (parts.length !== 2) {
        if (piece.text === '') continue;
        const data: Record<string, unknown> = { field: field.text };
        let why: string;
        let advice = '';
        if (field.text === '') why = `empty toleration field in ${goQuote(piece.text)}`;
        else if (parts.length === 1) {
          const eff = caseFix(field.text, EFFECTS);
          why = `toleration field ${goQuote(field.text)} has no '='`;
          if (eff) advice = `; did you mean "effect=${eff}"?`;
          if (eff) data.suggestion = `effect=${eff}`;
        } else why = `toleration field ${goQuote(field.text)} has more than one '='`;
        problems.push(problem('toleration-piece-dropped', field.text === '' ? piece : field, `${why}, and buildx silently ignores it${advice}`, 'warning', data));
        continue;
      }
      const name = parts[0].text;
      if (!TOLERATION_FIELDS.has(name)) {
        const fix = [...TOLERATION_FIELDS].find((f) => f.toLowerCase() === name.trim().toLowerCase());
        const data: Record<string, unknown> = { field: name };
        if (fix) data.suggestion = fix;
        problems.push(
          problem(
            'toleration-unknown-field',
            parts[0],
            `unknown toleration field ${goQuote(name)}, expected key, operator, value, effect or tolerationSeconds` +
              (fix ? `; did you mean ${goQuote(fix)}?` : '') +
              `; buildx: invalid tolaration ${whole}`,
            'error',
            data,
          ),
        );
        continue;
      }
      const v = parts[1];
      switch (name) {
        case 'key':
          t.key = v;
          break;
        case 'operator':
          t.operator = v;
          break;
        case 'value':
          t.value = v;
          break;
        case 'effect':
          t.effect = v;
          break;
        case 'tolerationSeconds': {
          t.tolerationSeconds = v;
          const n = atoi(v.text);
          if (n.ok) t.seconds = n.value;
          else problems.push(problem('invalid-value', v, `tolerationSeconds ${goQuote(v.text)} is not an integer; buildx: ${n.error}`));
          break;
        }
      }
    }
    tolerations.push(t);
    if (!t.dynamic) problems.push(...validateToleration(t, value));
  }
  return { tolerations, problems };
}

function validateToleration(t: Toleration, whole: MappedString): DriverOptProblem[] {
  const out: DriverOptProblem[] = [];
  const where = t.piece;
  if (t.piece.text === '') {
    out.push(
      problem(
        'empty-toleration',
        t.piece,
        (whole.text === '' ? `empty tolerations value creates one empty toleration` : `empty toleration in ${goQuote(whole.text)} (a stray ';')`) +
          `; kubernetes rejects it: operator must be Exists when \`key\` is empty, which means "match all values and all keys"`,
      ),
    );
    return out;
  }
  const key = t.key?.text ?? '';
  const op = t.operator?.text ?? '';
  const effect = t.effect?.text ?? '';
  if (key !== '') {
    const errs = isQualifiedName(key);
    if (errs.length > 0) out.push(problem('k8s-invalid-key', t.key!, `toleration key ${goQuote(key)} is not a valid Kubernetes qualified name; kubernetes: ${errs.join('; ')}`));
  } else if (op !== 'Exists') {
    out.push(
      problem(
        'k8s-toleration-rule',
        where,
        `toleration ${goQuote(t.piece.text)} has no key, which requires operator=Exists; kubernetes: operator must be Exists when \`key\` is empty, which means "match all values and all keys"`,
      ),
    );
  }
  if (t.tolerationSeconds && effect !== 'NoExecute') {
    out.push(
      problem(
        'k8s-toleration-rule',
        t.tolerationSeconds,
        `tolerationSeconds is only valid with effect=NoExecute, found ${effect === '' ? 'no effect' : `effect ${goQuote(effect)}`}; kubernetes: effect must be 'NoExecute' when \`tolerationSeconds\` is set`,
      ),
    );
  }
  if (op === '' || op === 'Equal') {
    const v = t.value?.text ?? '';
    const errs = isLabelValue(v);
    if (errs.length > 0) out.push(problem('k8s-invalid-value', t.value!, `toleration value ${goQuote(v)} is not a valid Kubernetes label value; kubernetes: ${errs.join('; ')}`));
  } else if (op === 'Exists') {
    if (t.value && t.value.text !== '')
      out.push(
        problem('k8s-toleration-rule', t.value, `toleration with operator=Exists must not have a value, found ${goQuote(t.value.text)}; kubernetes: value must be empty when \`operator\` is 'Exists'`),
      );
  } else {
    const fix = caseFix(op, ['Equal', 'Exists']);
    out.push(
      problem(
        'k8s-unsupported-value',
        t.operator!,
        `toleration operator ${goQuote(op)} is not supported, expected "Equal" or "Exists" (case-sensitive)` +
          (fix ? `; did you mean ${goQuote(fix)}?` : '') +
          `; kubernetes: Unsupported value: ${goQuote(op)}: supported values: "Equal", "Exists"`,
        'error',
        fix ? { suggestion: fix } : undefined,
      ),
    );
  }
  if (effect !== '' && !EFFECTS.includes(effect)) {
    const fix = caseFix(effect, EFFECTS);
    out.push(
      problem(
        'k8s-unsupported-value',
        t.effect!,
        `toleration effect ${goQuote(effect)} is not supported, expected NoSchedule, PreferNoSchedule or NoExecute (case-sensitive)` +
          (fix ? `; did you mean ${goQuote(fix)}?` : '') +
          `; kubernetes: Unsupported value: ${goQuote(effect)}: supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
        'error',
        fix ? { suggestion: fix } : undefined,
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Whole-driver checks

const QUANTITY_KEYS = [
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'persistent-volume-claim.requests.storage',
  'buildkit-root-volume-memory',
];

const isStatic = (e: DriverOptEntry | undefined): e is DriverOptEntry => !!e && !hasDynamic(e.value.text);

/**
 * checkKubernetes interprets the effective kubernetes options: the value syntax that buildx
 * checks itself has already been reported by the caller; this adds the sub-grammars and the rules
 * the API server applies later.
 */
export function checkKubernetes(effective: Map<string, DriverOptEntry>): { opts: KubernetesOpts; problems: DriverOptProblem[] } {
  const problems: DriverOptProblem[] = [];
  const opts: KubernetesOpts = {
    nodeSelector: [],
    labels: [],
    annotations: [],
    tolerations: [],
    resources: new Map(),
    statefulSet: false,
  };
  const lists: [string, MultiValueKind, KV[]][] = [
    ['nodeselector', 'nodeselector', opts.nodeSelector],
    ['labels', 'labels', opts.labels],
    ['annotations', 'annotations', opts.annotations],
  ];
  for (const [key, what, into] of lists) {
    const e = effective.get(key);
    if (!e || (hasDynamic(e.value.text) && e.value.text === DYNAMIC)) continue;
    const r = splitMultiValues(e.value, what);
    // Later duplicate keys win inside one list, as in a Go map.
    const byKey = new Map<string, KV>();
    for (const kv of r.pairs) byKey.set(kv.key.text, kv);
    into.push(...byKey.values());
    problems.push(...r.problems, ...validateKVs(r.pairs, what));
  }
  const tol = effective.get('tolerations');
  if (tol && tol.value.text !== DYNAMIC) {
    const r = parseTolerations(tol.value);
    opts.tolerations = r.tolerations;
    problems.push(...r.problems);
  }

  for (const key of QUANTITY_KEYS) {
    const e = effective.get(key);
    if (!isStatic(e) || e.value.text === '') continue;
    const q = parseQuantity(e.value.text);
    if (!q.ok) {
      problems.push(problem('invalid-value', e.value, `invalid quantity ${goQuote(e.value.text)} for ${key}, expected e.g. 500m, 2, 1Gi or 100Mi; buildx: ${q.error}`));
      continue;
    }
    opts.resources.set(key, { entry: e, quantity: q.value });
    if (q.value.num < 0n) problems.push(problem('k8s-negative-quantity', e.value, `${key} ${goQuote(e.value.text)} is negative; kubernetes: must be greater than or equal to 0`));
  }
  for (const res of ['cpu', 'memory']) {
    const req = opts.resources.get(`requests.${res}`);
    const lim = opts.resources.get(`limits.${res}`);
    if (req && lim && compareQuantity(req.quantity, lim.quantity) > 0)
      problems.push(
        problem(
          'k8s-request-exceeds-limit',
          req.entry.value,
          `requests.${res} ${goQuote(req.entry.value.text)} is greater than limits.${res} ${goQuote(lim.entry.value.text)}; kubernetes: must be less than or equal to ${res} limit of ${lim.entry.value.text}`,
          'error',
          { limitSpan: spanOf(lim.entry.value) },
        ),
      );
  }
  const eReq = effective.get('requests.ephemeral-storage');
  if (eReq) {
    const eLim = effective.get('limits.ephemeral-storage');
    if (eLim)
      problems.push(
        problem(
          'ephemeral-storage-request-ignored',
          eReq.key,
          `requests.ephemeral-storage is ignored: since buildx v0.34 it is written into resources.limits and limits.ephemeral-storage overwrites it`,
          'info',
          { limitSpan: spanOf(eLim.key) },
        ),
      );
    else
      problems.push(
        problem(
          'ephemeral-storage-request-as-limit',
          eReq.key,
          `requests.ephemeral-storage is applied as an ephemeral-storage limit by buildx v0.34 and later (a regression), so pods exceeding it are evicted; set limits.ephemeral-storage explicitly if a limit is intended`,
          'warning',
        ),
      );
  }
  opts.statefulSet = !!effective.get('persistent-volume-claim.requests.storage')?.value.text;

  const replicas = effective.get('replicas');
  if (isStatic(replicas)) {
    const r = parseInt10(replicas.value.text, 32);
    if (r.ok) {
      opts.replicas = Number(r.value);
      if (r.value < 0n) problems.push(problem('k8s-negative-replicas', replicas.value, `replicas ${goQuote(replicas.value.text)} is negative; kubernetes: must be greater than or equal to 0`));
    }
  }
  const ns = effective.get('namespace');
  if (isStatic(ns) && ns.value.text !== '') {
    const errs = isDns1123Label(ns.value.text);
    if (errs.length > 0) problems.push(problem('k8s-invalid-name', ns.value, `namespace ${goQuote(ns.value.text)} is not a valid Kubernetes namespace name; kubernetes: ${errs.join('; ')}`));
  }
  const sa = effective.get('serviceaccount');
  if (isStatic(sa) && sa.value.text !== '') {
    const errs = isDns1123Subdomain(sa.value.text);
    if (errs.length > 0)
      problems.push(problem('k8s-invalid-name', sa.value, `serviceaccount ${goQuote(sa.value.text)} is not a valid Kubernetes service account name; kubernetes: ${errs.join('; ')}`));
  }
  for (const [key, e] of effective) {
    if (!key.startsWith('env.') || key === 'env.' || hasDynamic(key)) continue;
    const name = key.slice(4);
    const nameMs = sliceMapped(e.key, 4);
    const relaxed = isRelaxedEnvVarName(name);
    if (relaxed.length > 0) problems.push(problem('k8s-invalid-env-name', nameMs, `environment variable name ${goQuote(name)} is invalid; kubernetes: ${relaxed.join('; ')}`));
    else {
      const strict = isEnvVarName(name);
      if (strict.length > 0)
        problems.push(
          problem(
            'k8s-env-name-strict',
            nameMs,
            `environment variable name ${goQuote(name)} is rejected by clusters without RelaxedEnvironmentVariableValidation; kubernetes: ${strict.join('; ')}`,
            'warning',
          ),
        );
    }
  }
  for (const key of ['image', 'qemu.image']) {
    const e = effective.get(key);
    if (isStatic(e) && e.value.text !== '' && e.value.text.trim() !== e.value.text)
      problems.push(problem('k8s-invalid-image', e.value, `${key} ${goQuote(e.value.text)} has leading or trailing whitespace; kubernetes: must not have leading or trailing whitespace`));
  }

  const rootless = effective.get('rootless');
  if (isStatic(rootless)) {
    const b = parseBool(rootless.value.text);
    if (b.ok) opts.rootless = b.value;
  }
  const image = effective.get('image');
  if (image && !hasDynamic(image.value.text)) {
    opts.image = image.value.text !== '' ? image.value.text : 'moby/buildkit:buildx-stable-1';
  } else if (!image && opts.rootless !== undefined) {
    opts.image = opts.rootless ? 'moby/buildkit:buildx-stable-1-rootless' : 'moby/buildkit:buildx-stable-1';
  }
  if (opts.rootless && image && image.value.text === '')
    problems.push(
      problem(
        'rootless-empty-image',
        image.field.value,
        `image= (empty) with rootless=true keeps the non-rootless image moby/buildkit:buildx-stable-1; remove image= to get moby/buildkit:buildx-stable-1-rootless`,
        'warning',
        { rootlessSpan: spanOf(rootless!.field.value) },
      ),
    );
  return { opts, problems };
}

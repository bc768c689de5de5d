/**
 * Builder and node names: buildx's own name rule, the reserved `default`, and the extra
 * constraints a kubernetes node name inherits from the Deployment/StatefulSet it becomes.
 */
import { isDns1123Subdomain, isLabelValue } from './kubernetes';

const NAME_RE = /^[a-zA-Z][a-zA-Z0-9._-]*$/;

export interface NameProblem {
  kind: 'invalid-name' | 'reserved-name' | 'k8s-invalid-node-name';
  severity: 'error' | 'warning';
  message: string;
}

/** buildxNameError returns buildx's ValidateName error for a builder or node name, or null. */
export function buildxNameError(name: string): string | null {
  if (NAME_RE.test(name)) return null;
  return `invalid name ${name}, name needs to start with a letter and may not contain symbols, except ._-`;
}

/** normalizeName is what buildx stores: names are lower-cased. */
export function normalizeName(name: string): string {
  return name.toLowerCase();
}

/** checkBuilderName validates `--name` of buildx create. */
export function checkBuilderName(name: string): NameProblem[] {
  const out: NameProblem[] = [];
  if (name === 'default') {
    out.push({
      kind: 'reserved-name',
      severity: 'error',
      message: `builder name "default" is reserved for the builder of the default docker context; buildx: default is a reserved name and cannot be used to identify builder instance`,
    });
    return out;
  }
  const err = buildxNameError(name);
  if (err) {
    out.push({
      kind: 'invalid-name',
      severity: 'error',
      message: `builder name "${name}" must start with a letter and contain only letters, digits, '.', '_' and '-'; buildx: ${err}`,
    });
  } else if (name.toLowerCase() === 'default') {
    out.push({
      kind: 'reserved-name',
      severity: 'warning',
      message: `builder name "${name}" is stored as "default" and shadows the builder of the default docker context`,
    });
  }
  return out;
}

/** kubernetesObjectName is the Deployment/StatefulSet name buildx derives from a node name. */
export function kubernetesObjectName(nodeName: string): string {
  return nodeName.toLowerCase().replace(/_/g, '-');
}

/** checkNodeName validates `--node`; for kubernetes also the derived object name. */
export function checkNodeName(name: string, driver?: string): NameProblem[] {
  const err = buildxNameError(name);
  if (err)
    return [
      {
        kind: 'invalid-name',
        severity: 'error',
        message: `node name "${name}" must start with a letter and contain only letters, digits, '.', '_' and '-'; buildx: ${err}`,
      },
    ];
  if (driver !== 'kubernetes') return [];
  const obj = kubernetesObjectName(name);
  const errs = [...isDns1123Subdomain(obj), ...isLabelValue(obj)];
  if (errs.length === 0) return [];
  return [
    {
      kind: 'k8s-invalid-node-name',
      severity: 'error',
      message: `node name "${name}" becomes the kubernetes deployment name "${obj}" and the value of its "app" label, which kubernetes rejects; kubernetes: ${[...new Set(errs)].join('; ')}`,
    },
  ];
}

/**
 * The platform rules (KBX410–KBX414) and the build-flag rules (KBX501–KBX530), as one list for the
 * registry in index.ts.
 */
import type { Rule } from './rule';
import platformInvalid from './platform-invalid';
import platformUnknownOsArch from './platform-unknown-os-arch';
import platformAlias from './platform-alias';
import platformArmV8 from './platform-arm-v8-32bit';
import platformClientDependent from './platform-client-dependent';
import buildOutputInvalid from './build-output-invalid';
import buildCacheInvalid from './build-cache-invalid';
import buildSecretSshInvalid from './build-secret-ssh-invalid';
import buildAttestInvalid from './build-attest-invalid';
import buildTagInvalid from './build-tag-invalid';
import buildContextInvalid from './build-context-invalid';
import buildAllowInvalid from './build-allow-invalid';
import buildAddHostInvalid from './build-add-host-invalid';
import buildAnnotationInvalid from './build-annotation-invalid';
import buildLimitInvalid from './build-limit-invalid';
import buildModeInvalid from './build-mode-invalid';
import buildArgInvalid from './build-arg-invalid';
import buildArgFromEnv from './build-arg-from-env';
import buildLoadMultiPlatform from './build-load-multi-platform';
import buildPushWithoutTag from './build-push-without-tag';
import buildIidfileLocalTar from './build-iidfile-local-tar';
import buildMultipleStdout from './build-multiple-stdout';
import buildNoCacheWithFilter from './build-no-cache-with-filter';
import buildQuietProgress from './build-quiet-progress';
import buildContextCount from './build-context-count';
import buildLocalDeleteNeedsAllow from './build-local-delete-needs-allow';
import buildMultipleExporters from './build-multiple-exporters';
import buildAttestShadowed from './build-attest-shadowed';
import boolFlagSeparateValue from './bool-flag-separate-value';

export const BUILD_FLAG_RULES: Rule[] = [
  platformInvalid,
  platformUnknownOsArch,
  platformAlias,
  platformArmV8,
  platformClientDependent,
  buildOutputInvalid,
  buildCacheInvalid,
  buildSecretSshInvalid,
  buildAttestInvalid,
  buildTagInvalid,
  buildContextInvalid,
  buildAllowInvalid,
  buildAddHostInvalid,
  buildAnnotationInvalid,
  buildLimitInvalid,
  buildModeInvalid,
  buildArgInvalid,
  buildArgFromEnv,
  buildLoadMultiPlatform,
  buildPushWithoutTag,
  buildIidfileLocalTar,
  buildMultipleStdout,
  buildNoCacheWithFilter,
  buildQuietProgress,
  buildContextCount,
  buildLocalDeleteNeedsAllow,
  buildMultipleExporters,
  buildAttestShadowed,
  boolFlagSeparateValue,
];

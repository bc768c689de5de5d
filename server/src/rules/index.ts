/**
 * The registry: one explicit list of every rule, sorted by code. Adding a rule adds one line here.
 */
import type { Rule } from './rule';
import unknownFlag from './unknown-flag';
import flagNeedsArgument from './flag-needs-argument';
import unknownCommand from './unknown-command';
import invalidBoolFlag from './invalid-bool-flag-value';
import shellSyntaxError from './shell-syntax-error';
import makefileProblem from './makefile-structure';
import dynamicArgument from './dynamic-argument';
import driverOptUnquotedComma from './driver-opt-unquoted-comma';
import driverOptBareQuote from './driver-opt-bare-quote';
import driverOptUnterminatedQuote from './driver-opt-unterminated-quote';
import driverOptMissingEquals from './driver-opt-missing-equals';
import driverOptEmptyField from './driver-opt-empty-field';
import driverOptEmpty from './driver-opt-empty';
import driverOptDuplicateKey from './driver-opt-duplicate-key';
import driverOptUnknownKey from './driver-opt-unknown-key';
import driverOptInvalidValue from './driver-opt-invalid-value';
import driverOptEnvWithoutName from './driver-opt-env-without-name';
import remoteTlsOptions from './remote-tls-options';
import dockerDaemonLimits from './docker-daemon-limits';
import rootlessDefaultImage from './rootless-default-image';
import unknownDriver from './unknown-driver';
import buildkitdFlags from './buildkitd-flags';
import tolerationInvalid from './toleration-invalid';
import tolerationUnknownField from './toleration-unknown-field';
import tolerationPieceDropped from './toleration-piece-dropped';
import k8sKeyValueSyntax from './k8s-key-value-syntax';
import k8sLabelSyntax from './k8s-label-syntax';
import k8sReservedKey from './k8s-reserved-key';
import k8sResources from './k8s-resources';
import k8sNames from './k8s-names';
import builderNameInvalid from './builder-name-invalid';
import buildPolicyInvalid from './build-policy-invalid';
import remoteEndpointScheme from './remote-endpoint-scheme';
import buildxVersionUnsupported from './buildx-version-unsupported';
import inputTooLarge from './input-too-large';
import unusedSuppression from './unused-suppression';
import suppressionUnknownRule from './suppression-unknown-rule';
import ciYamlSyntax from './ci-yaml-syntax';
import gitlabExtendsInvalid from './gitlab-extends-invalid';
import actionDriverOptsComment from './action-driver-opts-comment';
import actionAppendDriverOptsString from './action-append-driver-opts-string';
import actionPlatformsEmptyItem from './action-platforms-empty-item';
import { BUILD_FLAG_RULES } from './build-flag-rules';
import { GRAPH_RULES } from './graph-rules';

export const RULES: readonly Rule[] = [
  unknownFlag,
  flagNeedsArgument,
  unknownCommand,
  invalidBoolFlag,
  driverOptUnquotedComma,
  driverOptBareQuote,
  driverOptUnterminatedQuote,
  driverOptMissingEquals,
  driverOptEmptyField,
  driverOptEmpty,
  driverOptDuplicateKey,
  driverOptUnknownKey,
  driverOptInvalidValue,
  driverOptEnvWithoutName,
  remoteTlsOptions,
  dockerDaemonLimits,
  rootlessDefaultImage,
  unknownDriver,
  buildkitdFlags,
  tolerationInvalid,
  tolerationUnknownField,
  tolerationPieceDropped,
  k8sKeyValueSyntax,
  k8sLabelSyntax,
  k8sReservedKey,
  k8sResources,
  k8sNames,
  builderNameInvalid,
  buildPolicyInvalid,
  remoteEndpointScheme,
  buildxVersionUnsupported,
  inputTooLarge,
  shellSyntaxError,
  makefileProblem,
  dynamicArgument,
  unusedSuppression,
  suppressionUnknownRule,
  ciYamlSyntax,
  gitlabExtendsInvalid,
  actionDriverOptsComment,
  actionAppendDriverOptsString,
  actionPlatformsEmptyItem,
  ...BUILD_FLAG_RULES,
  ...GRAPH_RULES,
].sort((a, b) => a.meta.code.localeCompare(b.meta.code));

/** findRule accepts a code (`KBX101`, any case) or a name. */
export function findRule(id: string): Rule | undefined {
  const upper = id.toUpperCase();
  return RULES.find((r) => r.meta.code === upper || r.meta.name === id);
}

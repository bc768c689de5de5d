/**
 * The builder-graph rules (KBX402–KBX409, KBX420–KBX431): checks that need to know what earlier
 * commands of the file did to builders. The registry in index.ts includes this list.
 */
import type { Rule } from './rule';
import appendWithoutName from './append-without-name';
import appendUnknownBuilder from './append-unknown-builder';
import appendExistingNode from './append-existing-node';
import nodeNotFound from './node-not-found';
import builderExists from './builder-exists';
import builderDriverMismatch from './builder-driver-mismatch';
import leaveInvalid from './leave-invalid';
import kubernetesEndpointArg from './kubernetes-endpoint-arg';
import createExtraArgument from './create-extra-argument';
import remoteWithoutEndpoint from './remote-without-endpoint';
import endpointImpliesRemote from './endpoint-implies-remote';
import nodeselectorArchMismatch from './nodeselector-arch-mismatch';
import nodeMultiArchWithoutQemu from './node-multi-arch-without-qemu';
import platformMovedBetweenNodes from './platform-moved-between-nodes';
import buildPlatformUnserved from './build-platform-unserved';
import dockerBuildIgnoresUse from './docker-build-ignores-use';
import builderRemovedEarlier from './builder-removed-earlier';
import duplicateEndpoint from './duplicate-endpoint';
import builderNamedAfterContext from './builder-named-after-context';
import rmContextBuilder from './rm-context-builder';

export const GRAPH_RULES: Rule[] = [
  appendWithoutName,
  appendUnknownBuilder,
  appendExistingNode,
  nodeNotFound,
  builderExists,
  builderDriverMismatch,
  leaveInvalid,
  kubernetesEndpointArg,
  createExtraArgument,
  remoteWithoutEndpoint,
  endpointImpliesRemote,
  nodeselectorArchMismatch,
  nodeMultiArchWithoutQemu,
  platformMovedBetweenNodes,
  buildPlatformUnserved,
  dockerBuildIgnoresUse,
  builderRemovedEarlier,
  duplicateEndpoint,
  builderNamedAfterContext,
  rmContextBuilder,
];

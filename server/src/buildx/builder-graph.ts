/**
 * The builder graph of one file: which builders exist, with which driver and nodes, which one is
 * selected, and what each `create`/`build`/`use`/`rm`/`inspect`/`stop` meets when it runs. The
 * facts are gathered in `graph/` (a walk over scopes and paths, see docs/architecture.md); the
 * rules in `rules/` decide what is a mistake.
 */
import type { FileModel } from './model';
import type { BuilderGraph } from './graph/facts';
import { buildBuilderGraph } from './graph/walk';

export type { BuilderGraph, BuilderRef, BuilderSource, BuildState, CreateEvent, GraphBuilder, GraphNode, MovedPlatform, Tri } from './graph/facts';
export { assignBuildPlatforms, type PlatformAssignment, type PlatformMatch } from './graph/assign';
export { buildBuilderGraph };

const GRAPHS = new WeakMap<FileModel, BuilderGraph>();

/** builderGraphOf memoises buildBuilderGraph per model, so each graph rule does not rebuild it. */
export function builderGraphOf(model: FileModel): BuilderGraph {
  let g = GRAPHS.get(model);
  if (!g) GRAPHS.set(model, (g = buildBuilderGraph(model)));
  return g;
}

/** rememberBuilderGraph records a graph computed elsewhere (the language server's lint thread) for a model. */
export function rememberBuilderGraph(model: FileModel, graph: BuilderGraph): void {
  GRAPHS.set(model, graph);
}

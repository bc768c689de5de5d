/** The CLI's `explain` command prints the engine's explanation (engine/explain.ts). */
export { explainFile, formatExplainText, type ExplainedInvocation } from '../engine/explain';

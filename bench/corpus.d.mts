// Types of bench/corpus.mjs for the TypeScript tests that check the generators.
export interface GeneratedFile {
  path: string;
  text: string;
  kind?: 'shell' | 'make';
}
export function mulberry32(seed: number): () => number;
export function denseCorpus(options?: { files?: number; bytes?: number; seed?: number }): GeneratedFile[];
export function plainTree(options?: { files?: number; seed?: number }): GeneratedFile[];
export function lspScript(options?: { lines?: number; commands?: number; seed?: number }): string;
export function hugeDriverOpt(options?: { fields?: number }): string;
export function writeFiles(dir: string, files: GeneratedFile[]): number;

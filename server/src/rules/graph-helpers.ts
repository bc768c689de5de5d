/**
 * Small model queries shared by the builder-graph rules.
 */
import type { FileModel } from '../buildx/model';

/** buildModelHasBuildkitHost: the file sets or mentions BUILDKIT_HOST anywhere, so a remote endpoint may come from it. */
export function buildModelHasBuildkitHost(model: FileModel): boolean {
  return /\bBUILDKIT_HOST\b/.test(model.text);
}

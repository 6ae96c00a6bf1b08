/**
 * `diffwise/impact`: the impact of a change and its graph, for the impact view and
 * the CodeLens on changed exports. Reads the index as it is (the daemon keeps it
 * current as files change) and git; runs no review. When the editor's last review
 * was of the same change, its breaking-change places mark the broken dependents.
 */
import { ResponseError } from 'vscode-languageserver';
import type { ImpactParams } from '../../shared/protocol';
import type { ReviewDocument } from '../../shared/review';
import { ImpactError, impactOf, type ImpactWithGraph } from '../graph/impactUseCase';
import type { Workspace } from '../workspace';

/** LSP's RequestFailed: the request was valid but could not be met (a bad base ref, a bad depth). */
const REQUEST_FAILED = -32803;

export function impactHandler(workspace: () => Promise<Workspace>, lastReview: () => ReviewDocument | null): (params: ImpactParams) => Promise<ImpactWithGraph> {
  return async (params) => {
    const ready = await workspace();
    if (params?.scope !== 'working' && params?.scope !== 'staged' && params?.scope !== 'branch') throw new ResponseError(REQUEST_FAILED, 'scope must be "working", "staged" or "branch"');
    const review = lastReview();
    const sameChange = review && review.run.scope === params.scope && (params.scope !== 'branch' || review.run.base === params.base);
    try {
      return await impactOf(ready, { scope: params.scope, base: params.base, depth: params.depth, findings: sameChange ? review.findings : undefined });
    } catch (error) {
      if (error instanceof ImpactError || (error as Error).name === 'GitError') throw new ResponseError(REQUEST_FAILED, (error as Error).message);
      throw error;
    }
  };
}

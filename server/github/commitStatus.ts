/**
 * The review's gate when check runs are refused: a commit status, as GitHub's REST
 * reference "Commit statuses" gives it (`POST /repos/{o}/{r}/statuses/{sha}`). GitHub lets
 * only a GitHub App write check runs; a personal token (the simple mode, GITHUB_TOKEN) may
 * write statuses, and branch protection can require one by its context, `Diffwise` here as
 * the check run's name is. A status has four states, not a check run's conclusions, and a
 * one-line description (at most 140 characters) instead of a summary and annotations: the
 * review itself carries the findings, and the status's link goes to it.
 */
import { z } from 'zod';
import type { ReviewDocument, Severity } from '../../shared/review';
import { lazySchema } from '../lazySchema';
import { checkAnswer } from './answers';
import { CHECK_RUN_NAME, type CheckConclusion } from './checkRuns';
import { describeGitHubError, endpointFor, type GitHubOctokit } from './client';
import { excerpt, GitHubError, isPermissionRefusal, refusalWords } from './errors';
import { repoPath } from './prSync';
import type { GitHubRepository } from './remote';

/** The status's context: what branch protection requires, the same name as the check run's. */
export const COMMIT_STATUS_CONTEXT = CHECK_RUN_NAME;

/** The states GitHub documents for a commit status. */
export type CommitState = 'pending' | 'success' | 'failure' | 'error';

/** GitHub refuses (422) a longer description. */
export const STATUS_DESCRIPTION_MAX = 140;

/** The description of the pending status a review starts with. */
export const REVIEWING_DESCRIPTION = 'Diffwise is reviewing this commit';

/**
 * A check run's conclusion as a status's state, for a branch protection rule that requires
 * `Diffwise`:
 * - `neutral` for a review that failed (no verdict at all) is `error`: a status has no neutral,
 *   and it blocks a merge the rule protects until the head is reviewed again (a push, a
 *   `/diffwise review` comment) or an admin overrides it.
 * - `neutral` for a partial review (every rule ran, but one could not judge a file, or the LLM
 *   failed) is `success`, its description saying it was partial: GitHub counts a neutral check
 *   run as passing, and a team's merges must not depend on which of the two modes it runs.
 * - `cancelled` (a newer push superseded the review) stays `pending`: the superseded commit is
 *   no longer the pull request's head, so nothing looks at its status to merge; no verdict was
 *   drawn on it, and should it become the head again (a force-push back), its new review sets
 *   the final state. `success` would claim a review that never happened.
 * The others, which the worker does not use, follow GitHub's reading of them for checks.
 */
const STATE_OF: Record<CheckConclusion, CommitState> = {
  success: 'success',
  failure: 'failure',
  neutral: 'error',
  cancelled: 'pending',
  timed_out: 'error',
  action_required: 'failure',
  skipped: 'success',
  stale: 'pending',
};

export function statusFor(conclusion: CheckConclusion, document: ReviewDocument | null = null): CommitState {
  if (conclusion === 'neutral' && document?.run.status === 'partial') return 'success';
  return STATE_OF[conclusion];
}

/** The fields of GitHub's `status` schema that are read. */
const statusSchema = lazySchema(() => z.object({
  id: z.number().int(),
  state: z.enum(['pending', 'success', 'failure', 'error']),
  context: z.string(),
}));

/**
 * Sets the `Diffwise` status of `sha` to `state` (GitHub keeps every one and shows the latest
 * of each context, so setting it again is how it changes). `description` is cut to GitHub's
 * 140 characters; `targetUrl` is where its "Details" link goes (the review, when one was
 * posted). Returns the status's id. Throws CommitStatusUnavailableError when GitHub refuses the
 * token this write (403), else a one-line GitHubError.
 */
export async function setCommitStatus(
  octokit: GitHubOctokit, repository: GitHubRepository, sha: string, state: CommitState, description: string, options: { targetUrl?: string | null; context?: string } = {},
): Promise<number> {
  const url = `${repoPath(repository)}/statuses/${encodeURIComponent(sha)}`;
  try {
    const response = await octokit.request(`POST ${url}`, {
      state, context: options.context ?? COMMIT_STATUS_CONTEXT, description: excerpt(description, STATUS_DESCRIPTION_MAX - 1),
      ...(options.targetUrl ? { target_url: options.targetUrl } : {}),
    });
    return checkAnswer(statusSchema(), response.data, { endpoint: endpointFor(octokit, 'POST', url), status: response.status }, 'the commit status it created').id;
  } catch (error) {
    if (isPermissionRefusal(error)) throw new CommitStatusUnavailableError(repository, error);
    throw describeGitHubError(error, repository, true);
  }
}

/**
 * GitHub refused the token a status (403: a fine-grained token without the "Commit statuses"
 * permission, a classic one without `repo`, or no push access). The review can still be
 * published; the worker tells this failure from the others by its class.
 */
export class CommitStatusUnavailableError extends GitHubError {
  override name = 'CommitStatusUnavailableError';
  constructor(repository: GitHubRepository, cause: unknown) {
    super(`cannot write commit statuses on ${repository.owner}/${repository.repo} (403${refusalWords(cause)}): GITHUB_TOKEN needs the "Commit statuses" permission (read and write), or push access with a classic token; the review is published without a Diffwise status`);
  }
}

/**
 * The status's one line for a review that ended with `conclusion`: the findings' counts (as
 * the check run's title gives them), why no verdict was drawn, or, without a document (the
 * review could not be done, or was superseded), `message` when given.
 */
export function statusDescription(document: ReviewDocument | null, conclusion: CheckConclusion, message?: string): string {
  if (conclusion === 'cancelled') return 'Superseded by a newer push: that head gets its own review';
  if (!document) return cut(`The review could not be done${message ? `: ${message}` : ''}`);
  if (document.run.status === 'failed') {
    const decisive = document.run.errors.find((error) => error.fatal) ?? document.run.errors[0];
    return cut(`The review failed${decisive ? ` (${decisive.stage}: ${decisive.message})` : ''}`);
  }
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of document.findings) if (!finding.suppressed) counts[finding.severity]++;
  const total = counts.error + counts.warning + counts.info;
  const found = total === 0 ? 'No problems found'
    : `${total} problem${total === 1 ? '' : 's'}: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info`;
  return cut(document.run.status === 'partial' ? `Partial review (not every file judged): ${found.charAt(0).toLowerCase()}${found.slice(1)}` : found);
}

const cut = (text: string): string => excerpt(text, STATUS_DESCRIPTION_MAX - 1);

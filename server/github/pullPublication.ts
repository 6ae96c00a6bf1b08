/**
 * Publishing a review's findings to a pull request named by its number: the one
 * publish path that `diffwise pr publish` (which finds the number from the
 * current branch) and the team service's worker (which has it from the webhook)
 * both take. What was posted before decides what is posted now: the pull
 * request is synced first, and each earlier comment's hidden fingerprint
 * (`<!-- diffwise:finding=ID -->`) makes a changed finding an edit and an
 * unchanged one nothing, so publishing twice on one head posts nothing the
 * second time. Knows nothing of the CLI, the queue or the database behind the
 * store.
 */
import type { PrPublishResult, PullRequestInfo } from '../../shared/github';
import type { ReviewDocument } from '../../shared/review';
import { addedLines, displayPath } from '../git/diffModel';
import type { GitRepository } from '../git/repository';
import type { PrStore } from '../store/prStore';
import { checkAnswer } from './answers';
import { describeGitHubError, endpointFor, GitHubError, type GitHubClient, type GitHubOctokit } from './client';
import { planPublication, publishResult, reviewBody } from './publish';
import { repoPath, syncPullRequestByNumber, toInfo } from './prSync';
import type { GitHubRepository } from './remote';
import { createdReviewSchema, restPullSchema } from './restTypes';

/**
 * The pull request moved on while its review ran: publishing the findings of an
 * older head would put them on lines that are no longer the pull request's. The
 * worker tells it from other failures (its check run is `cancelled`, not failed).
 */
export class StaleHeadError extends GitHubError {
  override name = 'StaleHeadError';
  constructor(readonly number: number, readonly reviewedSha: string, readonly currentSha: string) {
    super(`pull request #${number} moved on to ${currentSha.slice(0, 8)} while ${reviewedSha.slice(0, 8)} was reviewed: its findings are not published (the newer head gets its own review)`);
  }
}

export interface PublishPullReviewArgs {
  /** The client's octokit (`client.octokit`), named apart as the other GitHub use cases take it. */
  octokit: GitHubOctokit;
  /** Its deadline restarts here: posting is an operation of its own, whatever the review before it took. */
  client: GitHubClient;
  /** Where the pull request's comments, reviews and the requests' ETags are kept between publishes. */
  store: PrStore;
  /** A clone that has both commits: the added lines come from its diff. */
  repo: GitRepository;
  repository: GitHubRepository;
  number: number;
  /** The review of `baseSha..headSha` (learning applied, suppressed findings marked). */
  document: ReviewDocument;
  headSha: string;
  /** A commit or ref of the base; the document's merge base wins when it has one. */
  baseSha: string;
  /** Plans without posting (`pr publish --dry-run`). */
  dryRun?: boolean;
  /** False when the client has no token: the messages for a 404 or a used-up rate limit then say to set one. */
  hasToken?: boolean;
  /**
   * Syncs again after posting (the default), so that the store shows what was posted
   * (`diffwise pr` reads it). False where the next publish's own sync will see it anyway
   * (the team service's worker): a sync is REST lists plus a GraphQL query, paced as a write.
   */
  resyncAfter?: boolean;
}

/**
 * Syncs pull request `number`, plans what to post, posts it as ONE review on
 * `headSha` (after editing the comments of changed findings), then, unless
 * `resyncAfter` is false, syncs again so that the store holds what was just
 * posted. Throws a one-line
 * GitHubError (StaleHeadError when the pull request's head is no longer `headSha`).
 */
export async function publishPullReview(args: PublishPullReviewArgs): Promise<PrPublishResult> {
  const { octokit, client, store, repo, repository, number, document, headSha } = args;
  const slug = `${repository.owner}/${repository.repo}`;
  const { owner, repo: name } = repository;
  client.deadline.restart();
  try {
    const { pull } = await syncPullRequestByNumber(octokit, store, repository, number);
    if (pull.headSha !== headSha) throw new StaleHeadError(number, headSha, pull.headSha);

    const added = new Map<string, Set<number>>();
    for (const diff of await repo.diff([document.run.mergeBase ?? args.baseSha, headSha])) if (diff.newPath) added.set(displayPath(diff), addedLines(diff));
    const reported = document.findings.filter((finding) => !finding.suppressed);
    const plan = planPublication(reported, (path, line) => added.get(path)?.has(line) ?? false, store.comments(slug, number), store.reviews(slug, number));
    const suppressed = document.findings.length - reported.length;
    if (args.dryRun) return publishResult(pull, plan, null, suppressed, true);

    for (const edit of plan.edits) await octokit.rest.pulls.updateReviewComment({ owner, repo: name, comment_id: edit.commentId, body: edit.body });
    let reviewUrl: string | null = null;
    if (plan.comments.length || plan.outside.length) {
      const created = await octokit.rest.pulls.createReview({
        owner, repo: name, pull_number: number, commit_id: headSha, event: 'COMMENT', body: reviewBody(plan, reported.length),
        comments: plan.comments.map(({ path, line, side, body }) => ({ path, line, side, body })),
      });
      const endpoint = endpointFor(octokit, 'POST', `${repoPath(repository)}/pulls/${number}/reviews`);
      reviewUrl = checkAnswer(createdReviewSchema(), created.data, { endpoint, status: created.status }, 'the review it created').html_url;
    }
    // What was just posted is in the store at once; without it, the next publish's sync (before it plans) finds it.
    if (args.resyncAfter ?? true) await syncPullRequestByNumber(octokit, store, repository, number);
    return publishResult(pull, plan, reviewUrl, suppressed, false);
  } catch (error) {
    throw describeGitHubError(error, repository, args.hasToken ?? true);
  }
}

/** `GET /repos/{o}/{r}/pulls/{n}`, checked against the documented shape: a pull request's head, base and state. */
export async function fetchPull(octokit: GitHubOctokit, repository: GitHubRepository, number: number): Promise<PullRequestInfo> {
  const url = `${repoPath(repository)}/pulls/${number}`;
  try {
    const response = await octokit.request(`GET ${url}`);
    const pull = checkAnswer(restPullSchema(), response.data, { endpoint: endpointFor(octokit, 'GET', url), status: response.status }, 'a pull request');
    return toInfo(pull, `${repository.owner}/${repository.repo}`);
  } catch (error) {
    throw describeGitHubError(error, repository, true);
  }
}

/**
 * One sync of a pull request, found by the current branch (the CLI and the
 * editor) or by its number (the team service, from a webhook): find it, then
 * fetch what changed. Review comments are asked for `since` the newest one stored, and
 * every list conditionally, so a sync after nothing changed costs one 304 per
 * REST resource (free against the rate limit) and one GraphQL query for the
 * threads' resolved state (GraphQL has no conditional requests).
 */
import type { PrSyncResult, PullRequestInfo } from '../../shared/github';
import type { PrStore } from '../store/prStore';
import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { conditionalGet, getAllPages, graphqlQuery, RequestLedger, GitHubError, type GitHubOctokit } from './client';
import type { GitHubRepository } from './remote';
import { restPullListSchema, restPullSchema, restReviewCommentSchema, restReviewSchema, trimComment, type RestPull, type ReviewThread } from './restTypes';

/** GitHub's largest page. */
const PER_PAGE = 100;

/** The threads of a pull request with their resolved state and comment ids (GraphQL: REST has no threads). */
export const REVIEW_THREADS_QUERY = `query($owner: String!, $name: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved isOutdated path line comments(first: 100) { totalCount nodes { databaseId } } }
      }
    }
  }
}`;

/** The fields of REVIEW_THREADS_QUERY's answer that are read; a repository or pull request GitHub does not know is null. */
const threadsPageSchema = lazySchema(() => z.object({
  repository: z.object({
    pullRequest: z.object({
      reviewThreads: z.object({
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
        nodes: z.array(z.object({
          id: z.string(),
          isResolved: z.boolean(),
          comments: z.object({ totalCount: z.number().int(), nodes: z.array(z.object({ databaseId: z.number().int() })) }),
        })),
      }),
    }).nullable(),
  }).nullable(),
}));

export async function syncPullRequest(octokit: GitHubOctokit, store: PrStore, repository: GitHubRepository, branch: string): Promise<PrSyncResult> {
  const ledger = new RequestLedger();
  const slug = `${repository.owner}/${repository.repo}`;
  const base = `/repos/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.repo)}`;

  // The pull: by its number once known (a cheap conditional GET), else by the branch.
  const known = store.pullFor(slug, branch);
  let pull: PullRequestInfo | undefined;
  if (known) {
    const answer = await conditionalGet(octokit, store, ledger, `${base}/pulls/${known.pull.number}`, restPullSchema(), 'a pull request');
    const fetched = toInfo(answer.value, slug);
    // A pull closed, or its branch moved to another PR: look it up by branch again.
    if (fetched.headRef === branch && fetched.state === 'open') pull = fetched;
  }
  if (!pull) {
    const query = `${base}/pulls?head=${encodeURIComponent(`${repository.owner}:${branch}`)}&state=open&per_page=${PER_PAGE}`;
    const pulls = (await conditionalGet(octokit, store, ledger, query, restPullListSchema(), 'a list of pull requests')).value;
    if (!pulls.length) throw new GitHubError(`no open pull request for the branch ${branch} on ${slug}: push it and open one, or check out the pull request's branch`);
    pull = toInfo(pulls[0], slug);
  }
  return syncPull(octokit, store, ledger, repository, branch, pull);
}

/**
 * A sync of pull request `number`, whatever branch it comes from (a fork's too):
 * what the team service's worker does before it publishes. Stored under its head
 * branch, as a branch sync stores it.
 */
export async function syncPullRequestByNumber(octokit: GitHubOctokit, store: PrStore, repository: GitHubRepository, number: number): Promise<PrSyncResult> {
  const ledger = new RequestLedger();
  const slug = `${repository.owner}/${repository.repo}`;
  const answer = await conditionalGet(octokit, store, ledger, `${repoPath(repository)}/pulls/${number}`, restPullSchema(), 'a pull request');
  const pull = toInfo(answer.value, slug);
  return syncPull(octokit, store, ledger, repository, pull.headRef, pull);
}

/** The REST path of a repository, its parts escaped. */
export function repoPath(repository: GitHubRepository): string {
  return `/repos/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.repo)}`;
}

/** Fetches the comments, reviews and threads of a pull request already found, and stores them. */
async function syncPull(octokit: GitHubOctokit, store: PrStore, ledger: RequestLedger, repository: GitHubRepository, branch: string, pull: PullRequestInfo): Promise<PrSyncResult> {
  const slug = `${repository.owner}/${repository.repo}`;
  const base = repoPath(repository);
  const since = store.lastCommentUpdate(slug, pull.number);
  const commentsUrl = `${base}/pulls/${pull.number}/comments?per_page=${PER_PAGE}&sort=updated&direction=asc${since ? `&since=${encodeURIComponent(since)}` : ''}`;
  const comments = (await getAllPages(octokit, store, ledger, commentsUrl, restReviewCommentSchema(), 'a list of review comments')).map(trimComment);
  const reviews = await getAllPages(octokit, store, ledger, `${base}/pulls/${pull.number}/reviews?per_page=${PER_PAGE}`, restReviewSchema(), 'a list of reviews');
  const { threads, complete } = await reviewThreads(octokit, ledger, repository, pull.number);

  const syncedAt = new Date().toISOString();
  const { added, updated, deleted } = store.saveSync(slug, branch, pull, syncedAt, {
    comments,
    keepOnly: complete ? new Set(threads.flatMap((thread) => thread.commentIds)) : undefined,
    reviews: reviews.map(({ id, user, body, state, submitted_at }) => ({ id, user: user ? { login: user.login } : null, body: body ?? '', state, submitted_at: submitted_at ?? null })),
    threads,
  });
  return {
    pull,
    comments: store.comments(slug, pull.number).length,
    threads: threads.length,
    reviews: reviews.length,
    requests: ledger.requests,
    notModified: ledger.notModified,
    newComments: added,
    updatedComments: updated,
    deletedComments: deleted,
    syncedAt,
    rateLimit: ledger.rateLimit,
  };
}

/**
 * The pull request's threads, and whether they list every comment: `since`
 * cannot tell a deleted comment, but every review comment is in a thread, so a
 * stored comment no complete thread list names was deleted on GitHub.
 */
async function reviewThreads(octokit: GitHubOctokit, ledger: RequestLedger, repository: GitHubRepository, number: number): Promise<{ threads: ReviewThread[]; complete: boolean }> {
  const threads: ReviewThread[] = [];
  let complete = true;
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    ledger.requests++;
    const data: z.infer<ReturnType<typeof threadsPageSchema>> = await graphqlQuery(octokit, repository, REVIEW_THREADS_QUERY, { owner: repository.owner, name: repository.repo, number, cursor }, threadsPageSchema(), 'data.repository with the pull request\'s review threads');
    const connection = data.repository?.pullRequest?.reviewThreads;
    if (!connection) break;
    for (const node of connection.nodes) {
      threads.push({ id: node.id, isResolved: node.isResolved, commentIds: node.comments.nodes.map((comment) => comment.databaseId) });
      if (node.comments.totalCount > node.comments.nodes.length) complete = false;
    }
    if (!connection.pageInfo.hasNextPage) return { threads, complete };
    cursor = connection.pageInfo.endCursor;
  }
  return { threads, complete: false };
}

/** A REST pull request as the front ends show it; `repository` is `owner/name`. */
export function toInfo(pull: RestPull, repository: string): PullRequestInfo {
  return {
    number: pull.number, title: pull.title, url: pull.html_url, state: pull.state, headRef: pull.head.ref, headSha: pull.head.sha,
    baseRef: pull.base.ref, baseSha: pull.base.sha, author: pull.user?.login ?? 'ghost', repository,
  };
}

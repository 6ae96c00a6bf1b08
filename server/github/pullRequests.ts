/**
 * The pull request of the current branch, for every front end: which
 * repository and branch, the client with the user's token, sync, the synced
 * comments placed on the working tree, and answering them. Knows nothing of
 * LSP or the CLI.
 */
import type { PrComment, PrCommentsDocument, PrPublishResult, PrSyncResult } from '../../shared/github';
import type { ReviewDocument } from '../../shared/review';
import type { GitRepository } from '../git/repository';
import type { PrStore } from '../store/prStore';
import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { checkAnswer } from './answers';
import { createOctokit, describeGitHubError, endpointFor, GitHubError, graphqlQuery, tokenFrom, type GitHubClient, type GitHubOctokit, type RateLimitState } from './client';
import { placeComments } from './placement';
import { publishPullReview } from './pullPublication';
import { syncPullRequest } from './prSync';
import { NotGitHubRemoteError, parseGitHubRemote, type GitHubRepository } from './remote';
import { restReviewCommentSchema, trimComment } from './restTypes';
import { githubTimeouts } from './transport';

/** Where the token and the API URL come from for one operation. */
export interface GitHubAccess {
  /** GITHUB_TOKEN / GH_TOKEN, DIFFWISE_GITHUB_API_URL and the DIFFWISE_GITHUB_*_MS timeouts; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** The editor's `diffwise.github.apiUrl`; wins over the environment. */
  apiUrl?: string;
}

const REMOTE = 'origin';

export const RESOLVE_THREAD_MUTATION = `mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }`;
export const UNRESOLVE_THREAD_MUTATION = `mutation($threadId: ID!) { unresolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }`;

const resolutionSchema = lazySchema(() => {
  const resolvedThread = z.object({ thread: z.object({ isResolved: z.boolean() }) }).nullable().optional();
  return z.object({ resolveReviewThread: resolvedThread, unresolveReviewThread: resolvedThread });
});

export class PullRequests {
  constructor(
    private readonly repo: GitRepository,
    private readonly store: PrStore,
    /** Told every GitHub answer's rate limit (the workspace keeps it for the alerts). */
    private readonly onRateLimit?: (state: RateLimitState, resource: string) => void,
  ) {}

  /** Fetches what changed on GitHub for the current branch's pull request. */
  async sync(access: GitHubAccess = {}): Promise<PrSyncResult> {
    const target = await this.target(access);
    return this.withErrors(target, () => syncPullRequest(target.octokit, this.store, target.repository, target.branch));
  }

  /** The synced comments and reviews, placed on the working tree; no network. */
  async comments(access: GitHubAccess = {}): Promise<PrCommentsDocument> {
    const { slug, branch } = await this.where(access);
    const known = this.store.pullFor(slug, branch);
    if (!known) return { pull: null, syncedAt: null, comments: [], reviews: [] };
    const { number } = known.pull;
    return {
      pull: known.pull,
      syncedAt: known.syncedAt,
      comments: await placeComments(this.repo, this.store.comments(slug, number), this.store.threads(slug, number)),
      reviews: this.store.reviews(slug, number).map((review) => ({ id: review.id, author: review.user?.login ?? 'ghost', state: review.state, body: review.body ?? '', submittedAt: review.submitted_at ?? null })),
    };
  }

  /**
   * Posts the findings of a review of the pull request's changes (`review` runs it
   * against the given base) as one review; unchanged findings already posted are
   * skipped, changed ones edited. Refuses when HEAD is not the pull request's head:
   * the findings' lines would not be the pull request's.
   */
  async publish(review: (base: string) => Promise<ReviewDocument>, access: GitHubAccess = {}, options: { dryRun?: boolean } = {}): Promise<PrPublishResult> {
    const target = await this.target(access);
    // What is already on the pull request decides what to post: sync first, with the same client.
    const { pull } = await this.withErrors(target, () => syncPullRequest(target.octokit, this.store, target.repository, target.branch));
    const head = await this.repo.head();
    if (head.sha !== pull.headSha) {
      throw new GitHubError(`HEAD (${head.sha?.slice(0, 8) ?? 'none'}) is not the head of pull request #${pull.number} (${pull.headSha.slice(0, 8)}): push your commits (or pull the branch) first, so that the findings' lines are the pull request's`);
    }
    const base = (await this.repo.hasCommit(pull.baseSha)) ? pull.baseSha : `${REMOTE}/${pull.baseRef}`;
    const document = await review(base);
    // The one publish path, the team service's too: it syncs again (the review may have taken long), plans and posts.
    return publishPullReview({
      octokit: target.octokit, client: target.client, store: this.store, repo: this.repo, repository: target.repository,
      number: pull.number, document, headSha: pull.headSha, baseSha: base, dryRun: options.dryRun, hasToken: target.hasToken,
    });
  }

  /** Puts 👍 or 👎 on a review comment on GitHub (a reaction; GitHub keeps one of each per user). */
  async react(commentId: number, vote: 'up' | 'down', access: GitHubAccess = {}): Promise<void> {
    const target = await this.target(access);
    await this.withErrors(target, () => target.octokit.rest.reactions.createForPullRequestReviewComment({
      owner: target.repository.owner, repo: target.repository.repo, comment_id: commentId, content: vote === 'up' ? '+1' : '-1',
    }));
  }

  /** Answers the thread of comment `commentId` on GitHub; the reply is stored at once. */
  async reply(commentId: number, body: string, access: GitHubAccess = {}): Promise<PrComment> {
    if (!body.trim()) throw new GitHubError('a reply needs some text');
    const target = await this.target(access);
    const pull = this.syncedPull(target);
    const created = await this.withErrors(target, async () => {
      const response = await target.octokit.rest.pulls.createReplyForReviewComment({
        owner: target.repository.owner, repo: target.repository.repo, pull_number: pull, comment_id: commentId, body,
      });
      const endpoint = endpointFor(target.octokit, 'POST', `/repos/${target.repository.owner}/${target.repository.repo}/pulls/${pull}/comments/${commentId}/replies`);
      return trimComment(checkAnswer(restReviewCommentSchema(), response.data, { endpoint, status: response.status }, 'the reply it created'));
    });
    this.store.addComment(target.slug, pull, created);
    const placed = await placeComments(this.repo, this.store.comments(target.slug, pull), this.store.threads(target.slug, pull));
    return placed.find((comment) => comment.id === created.id)!;
  }

  /** Resolves or unresolves a review thread on GitHub (GraphQL: REST cannot). */
  async resolve(threadId: string, resolved: boolean, access: GitHubAccess = {}): Promise<{ threadId: string; resolved: boolean }> {
    const target = await this.target(access);
    const pull = this.syncedPull(target);
    const result = await this.withErrors(target, () =>
      graphqlQuery(target.octokit, target.repository, resolved ? RESOLVE_THREAD_MUTATION : UNRESOLVE_THREAD_MUTATION, { threadId }, resolutionSchema(), 'data with the thread\'s new state'),
    );
    const isResolved = (result.resolveReviewThread ?? result.unresolveReviewThread)?.thread.isResolved ?? resolved;
    this.store.setThreadResolved(target.slug, pull, threadId, isResolved);
    return { threadId, resolved: isResolved };
  }

  private syncedPull(target: { slug: string; branch: string }): number {
    const known = this.store.pullFor(target.slug, target.branch);
    if (!known) throw new GitHubError(`the pull request of ${target.branch} has not been synced yet: run diffwise pr sync first`);
    return known.pull.number;
  }

  private async where(access: GitHubAccess): Promise<{ repository: GitHubRepository; slug: string; branch: string }> {
    const remote = await this.repo.remoteUrl(REMOTE);
    if (!remote) throw new GitHubError(`this repository has no remote named ${REMOTE}: add the GitHub repository (git remote add ${REMOTE} https://github.com/OWNER/REPO.git)`);
    let repository: GitHubRepository;
    try {
      repository = parseGitHubRemote(remote, access.apiUrl?.trim() || (access.env ?? process.env).DIFFWISE_GITHUB_API_URL?.trim() || undefined);
    } catch (error) {
      if (error instanceof NotGitHubRemoteError) throw new GitHubError(error.message);
      throw error;
    }
    const head = await this.repo.head();
    if (!head.branch) throw new GitHubError('HEAD is detached: check out the pull request\'s branch to see its comments');
    return { repository, slug: `${repository.owner}/${repository.repo}`, branch: head.branch };
  }

  private async target(access: GitHubAccess): Promise<{ repository: GitHubRepository; slug: string; branch: string; octokit: GitHubOctokit; client: GitHubClient; hasToken: boolean }> {
    const where = await this.where(access);
    const env = access.env ?? process.env;
    const token = tokenFrom(env);
    const client = createOctokit(where.repository, token, githubTimeouts(env), this.onRateLimit);
    return { ...where, octokit: client.octokit, client, hasToken: token !== undefined };
  }

  /** Runs one operation against GitHub under a fresh deadline, its failure turned into one line. */
  private async withErrors<T>(target: { repository: GitHubRepository; client: GitHubClient; hasToken: boolean }, work: () => Promise<T>): Promise<T> {
    target.client.deadline.restart();
    try {
      return await work();
    } catch (error) {
      throw describeGitHubError(error, target.repository, target.hasToken);
    }
  }
}

/**
 * The pull request of the current branch, for every front end: which
 * repository and branch, the client with the user's token, sync, the synced
 * comments placed on the working tree, and answering them. Knows nothing of
 * LSP or the CLI.
 */
import type { PrComment, PrCommentsDocument, PrSyncResult } from '../../shared/github';
import type { GitRepository } from '../git/repository';
import type { PrStore } from '../store/prStore';
import { createOctokit, describeGitHubError, GitHubError, tokenFrom, type GitHubOctokit } from './client';
import { placeComments } from './placement';
import { syncPullRequest } from './prSync';
import { NotGitHubRemoteError, parseGitHubRemote, type GitHubRepository } from './remote';
import { trimComment, type RestReviewComment } from './restTypes';

/** Where the token and the API URL come from for one operation. */
export interface GitHubAccess {
  /** GITHUB_TOKEN / GH_TOKEN and DIFFWISE_GITHUB_API_URL; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** The editor's `diffwise.github.apiUrl`; wins over the environment. */
  apiUrl?: string;
}

const REMOTE = 'origin';

export const RESOLVE_THREAD_MUTATION = `mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }`;
export const UNRESOLVE_THREAD_MUTATION = `mutation($threadId: ID!) { unresolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }`;

export class PullRequests {
  constructor(private readonly repo: GitRepository, private readonly store: PrStore) {}

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

  /** Answers the thread of comment `commentId` on GitHub; the reply is stored at once. */
  async reply(commentId: number, body: string, access: GitHubAccess = {}): Promise<PrComment> {
    if (!body.trim()) throw new GitHubError('a reply needs some text');
    const target = await this.target(access);
    const pull = this.syncedPull(target);
    const created = await this.withErrors(target, async () => {
      const response = await target.octokit.rest.pulls.createReplyForReviewComment({
        owner: target.repository.owner, repo: target.repository.repo, pull_number: pull, comment_id: commentId, body,
      });
      return trimComment(response.data as unknown as RestReviewComment);
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
      target.octokit.graphql<{ resolveReviewThread?: { thread: { isResolved: boolean } }; unresolveReviewThread?: { thread: { isResolved: boolean } } }>(
        resolved ? RESOLVE_THREAD_MUTATION : UNRESOLVE_THREAD_MUTATION, { threadId },
      ),
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

  private async target(access: GitHubAccess): Promise<{ repository: GitHubRepository; slug: string; branch: string; octokit: GitHubOctokit; hasToken: boolean }> {
    const where = await this.where(access);
    const token = tokenFrom(access.env ?? process.env);
    return { ...where, octokit: createOctokit(where.repository, token), hasToken: token !== undefined };
  }

  private async withErrors<T>(target: { repository: GitHubRepository; hasToken: boolean }, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw describeGitHubError(error, target.repository, target.hasToken);
    }
  }
}

/**
 * Pull-request review comments as Diffwise shows them: what `diffwise pr comments
 * --json` prints and what the daemon returns to the editor. Defined once here.
 */

/** One review comment of the pull request, placed on the working tree. */
export interface PrComment {
  id: number;
  /** The thread it belongs to (GraphQL node id), for resolve/unresolve; null until threads are known. */
  threadId: string | null;
  /** Repository-relative path with forward slashes. */
  path: string;
  /** The line at the PR's head (GitHub's `line`); null when GitHub says it is outdated there too. */
  line: number | null;
  /** First line of a multi-line comment at the PR's head (GitHub's `start_line`). */
  startLine: number | null;
  /** `RIGHT` (the new side) or `LEFT` (a deleted line). */
  side: 'LEFT' | 'RIGHT';
  /** The line in the working tree; null when that line no longer exists (`outdated`). */
  localLine: number | null;
  outdated: boolean;
  author: string;
  body: string;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  /** The comment this one answers (its thread's first comment), or null. */
  inReplyTo: number | null;
  resolved: boolean;
  url: string;
  /** The commit the comment was made on. */
  commitId: string;
}

/** The pull request of the current branch. */
export interface PullRequestInfo {
  number: number;
  title: string;
  url: string;
  state: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
  author: string;
  /** `owner/repo`. */
  repository: string;
}

/** A review (approve, request changes, comment) with its summary text. */
export interface PrReview {
  id: number;
  author: string;
  state: string;
  body: string;
  submittedAt: string | null;
}

/** What one sync did: `diffwise pr sync --json`. */
export interface PrSyncResult {
  pull: PullRequestInfo;
  comments: number;
  threads: number;
  reviews: number;
  /** HTTP requests made, and how many of them were answered 304 Not Modified (free against the rate limit). */
  requests: number;
  notModified: number;
  /** What changed since the last sync. */
  newComments: number;
  updatedComments: number;
  /** Stored comments no thread lists any more: deleted on GitHub, and here. */
  deletedComments: number;
  /** ISO 8601. */
  syncedAt: string;
  /** The rate limit after the sync, when GitHub said. */
  rateLimit: { remaining: number; limit: number; resetAt: string } | null;
}

/** `diffwise pr comments --json`. */
export interface PrCommentsDocument {
  pull: PullRequestInfo | null;
  syncedAt: string | null;
  comments: PrComment[];
  reviews: PrReview[];
}

/** What `diffwise pr publish` did (`--json`). */
export interface PrPublishResult {
  pull: PullRequestInfo;
  /** The review created, or null when there was nothing new to post. */
  reviewUrl: string | null;
  /** Findings posted as new line comments. */
  posted: number;
  /** Findings already on the pull request whose comment was edited because the finding changed. */
  updated: number;
  /** Findings already on the pull request, unchanged: not posted again. */
  skipped: number;
  /** Findings on lines outside the pull request's diff: listed in the review's body instead. */
  outsideDiff: number;
  /** Findings left out because the user voted them down (or learning suppressed them). */
  suppressed: number;
  dryRun: boolean;
}

/**
 * A fake GitHub API on 127.0.0.1 for the pull-request comment sync tests: REST at the
 * root (`/repos/...`) and GraphQL at `POST /graphql`, over a mutable in-memory model the
 * test scripts, recording every request. Point the product at it with
 * `DIFFWISE_GITHUB_API_URL=${fake.apiUrl}` (Octokit's `baseUrl`; `octokit.graphql` then
 * posts to `${baseUrl}/graphql`).
 *
 *   const gh = await startFakeGitHub();
 *   gh.addRepository('acme', 'app');
 *   gh.addPull('acme', 'app', { number: 7, head: { ref: 'feature', sha: 'b'.repeat(40) }, base: { ref: 'main', sha: 'a'.repeat(40) } });
 *   gh.setDiffLines('acme', 'app', 7, 'src/a.ts', [10, 11, 12]);
 *   const root = gh.addReviewComment('acme', 'app', 7, { path: 'src/a.ts', line: 11, body: 'why?', user: 'alice' });
 *   ...
 *   await gh.close();
 *
 * REST, shaped as GitHub's REST reference gives it (field names from its OpenAPI schemas
 * `pull-request-simple`, `pull-request`, `pull-request-review-comment`, `pull-request-review`,
 * `reaction`, `reaction-rollup`, `simple-user`):
 *   GET    /user                                                    the token's user
 *   GET    /rate_limit                                              the core and graphql buckets, not charged
 *   GET    /repos/{o}/{r}                                           the repository (with `permissions`)
 *   GET    /repos/{o}/{r}/pulls?state&head=OWNER:REF&base&sort&direction&per_page&page
 *   GET    /repos/{o}/{r}/pulls/{n}
 *   GET    /repos/{o}/{r}/pulls/{n}/comments?since&sort=created|updated&direction&per_page&page
 *   GET    /repos/{o}/{r}/pulls/{n}/reviews?per_page&page
 *   POST   /repos/{o}/{r}/pulls/{n}/reviews                         200 the review (all comments, or 422 and none)
 *   POST   /repos/{o}/{r}/pulls/{n}/comments/{id}/replies           201 the reply
 *   GET    /repos/{o}/{r}/pulls/comments/{id}
 *   PATCH  /repos/{o}/{r}/pulls/comments/{id}                       200 the comment
 *   GET    /repos/{o}/{r}/pulls/comments/{id}/reactions
 *   POST   /repos/{o}/{r}/pulls/comments/{id}/reactions             201 new, 200 when this user already reacted so
 *   DELETE /repos/{o}/{r}/pulls/comments/{id}/reactions/{rid}       204
 * Checks ("REST API endpoints for check runs", schema `check-run`), kept in the model (`checkRuns()`):
 *   POST   /repos/{o}/{r}/check-runs                                201 the check run (name, head_sha required)
 *   GET    /repos/{o}/{r}/check-runs/{id}
 *   PATCH  /repos/{o}/{r}/check-runs/{id}                           200; 422 above 50 annotations in one request,
 *                                                                   for a completed one without conclusion, an output
 *                                                                   without title or summary; annotations are appended
 *   GET    /repos/{o}/{r}/commits/{ref}/check-runs?check_name&status&filter=latest|all&per_page&page
 *                                                                   { total_count, check_runs }
 * With `checkRunsNeedApp`, a token that is not an installation's gets GitHub's 403 for the writes
 * (GitHub lets only GitHub Apps create check runs).
 * Commit statuses ("REST API endpoints for commit statuses", schema `status`), kept in the model (`statuses()`):
 *   POST   /repos/{o}/{r}/statuses/{sha}                            201 the status (context `default` when none);
 *                                                                   422 for a state not pending|success|failure|error,
 *                                                                   a description over 140 characters, a sha that is
 *                                                                   not 40 hex digits (`No commit found for SHA`)
 *   GET    /repos/{o}/{r}/commits/{ref}/statuses?per_page&page      newest first (`ref` a sha only)
 * A write needs push access, as the other writes; an installation's token is refused (403, `Resource not
 * accessible by integration`) as the test app has no `statuses` permission.
 * GitHub Apps ("REST API endpoints for GitHub Apps"; `addApp`, `installApp`), authenticated by the app's
 * JWT (`Authorization: Bearer JWT`, RS256 with the app's key, `iss` the app id, `iat`/`exp` at most 10 minutes
 * apart and not expired; else 401 as GitHub words it):
 *   GET    /app                                                     the app (JWT)
 *   GET    /repos/{o}/{r}/installation                              the app's installation there (JWT), or 404
 *   POST   /app/installations/{id}/access_tokens                    201 { token: 'ghs_…', expires_at (1 h, or
 *                                                                   `tokenLifetimeMs`), permissions, repository_selection }
 * An installation token acts as `SLUG[bot]` on that installation's repositories (reads of public ones too);
 * once expired it is `Bad credentials` (401); `GET /user` with it is 403, as GitHub answers an integration.
 * Every answer to an authenticated request carries `x-ratelimit-limit/remaining/used/reset/resource`;
 * every GET an `etag` (weak, a hash of the body) and, past one page, a `link` header with
 * rel="prev", "next", "last", "first" as GitHub orders them. `If-None-Match` with the current
 * ETag → 304, empty body, not charged to the rate limit (as GitHub documents for conditional
 * requests). 401 `Requires authentication` / `Bad credentials`; 404 `Not Found` for a repository
 * the token may not read; 403 `Resource not accessible by personal access token` for a write it
 * may not make.
 *
 * GraphQL: not an engine. The query text is parsed into its field selections (no fragments,
 * no directives) and resolved over this model, so the answer holds exactly the fields asked
 * for; an unknown field is GitHub's `undefinedField` error. Matched operations, and nothing else:
 *
 *   query($owner: String!, $name: String!, $number: Int!, $first: Int!, $after: String) {
 *     repository(owner: $owner, name: $name) {
 *       pullRequest(number: $number) {
 *         reviewThreads(first: $first, after: $after) {
 *           totalCount
 *           pageInfo { hasNextPage endCursor }
 *           nodes {
 *             id isResolved isOutdated path line
 *             comments(first: 100) { totalCount nodes { databaseId } }
 *           }
 *         }
 *       }
 *     }
 *   }
 *   mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }
 *   mutation($threadId: ID!) { unresolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }
 *
 * Fields available besides those: PullRequest `id number title`; thread `originalLine startLine
 * originalStartLine diffSide startDiffSide subjectType viewerCanResolve viewerCanUnresolve
 * resolvedBy { login }`; comment `id body path createdAt updatedAt url author { login }
 * replyTo { databaseId }`; connections `pageInfo { hasNextPage endCursor hasPreviousPage startCursor }`.
 * Errors come as GitHub sends them: `{ data, errors: [{ type: 'NOT_FOUND', path, locations, message }] }`
 * with status 200 (unknown repository, pull request or thread), FORBIDDEN for a mutation
 * without write access, MISSING_PAGINATION_BOUNDARIES / EXCESSIVE_PAGINATION for `first`.
 *
 * `misbehave` puts a broken GitHub (or proxy) in front of any path: no answer, a body that
 * stalls, any raw status and body (an HTML page, JSON cut short, the wrong shape), a redirect
 * (a loop), a connection closed without a word.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Side = 'LEFT' | 'RIGHT';
export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
export type AuthorAssociation = 'COLLABORATOR' | 'CONTRIBUTOR' | 'FIRST_TIMER' | 'FIRST_TIME_CONTRIBUTOR' | 'MANNEQUIN' | 'MEMBER' | 'NONE' | 'OWNER';
export const REACTIONS = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'] as const;
export type ReactionContent = (typeof REACTIONS)[number];

/** One request as received, with the status it was answered. */
export interface RecordedGitHubRequest {
  method: string;
  /** The path without the query: `/repos/acme/app/pulls/7/comments`, `/graphql`. */
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: any;
  /** 0 until answered. */
  status: number;
  /** When it arrived, and when its connection closed (0 until then), in epoch ms: how long a client waited. */
  receivedAt: number;
  closedAt: number;
}

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
  association: AuthorAssociation;
}

export interface FakeReaction {
  id: number;
  user: string;
  content: ReactionContent;
  createdAt: string;
}

export interface FakeComment {
  id: number;
  nodeId: string;
  owner: string;
  repo: string;
  pullNumber: number;
  reviewId: number | null;
  threadId: string;
  path: string;
  body: string;
  /** null once outdated, as GitHub has it. */
  line: number | null;
  originalLine: number;
  startLine: number | null;
  originalStartLine: number | null;
  side: Side;
  startSide: Side | null;
  commitId: string;
  originalCommitId: string;
  diffHunk: string;
  inReplyTo: number | null;
  user: string;
  createdAt: string;
  updatedAt: string;
  reactions: FakeReaction[];
}

export interface FakeReview {
  id: number;
  nodeId: string;
  user: string;
  body: string;
  state: ReviewState;
  commitId: string;
  /** null while PENDING. */
  submittedAt: string | null;
}

export interface FakeThread {
  id: string;
  comments: FakeComment[];
  isResolved: boolean;
  resolvedBy: string | null;
}

export interface FakePull {
  id: number;
  nodeId: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  merged: boolean;
  draft: boolean;
  user: string;
  head: { ref: string; sha: string; owner: string };
  base: { ref: string; sha: string };
  createdAt: string;
  updatedAt: string;
  comments: FakeComment[];
  reviews: FakeReview[];
  threads: FakeThread[];
  /** Commentable lines per `${side}:${path}`. */
  diffLines: Map<string, number[]>;
}

export interface FakeRepository {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  /** Tokens (or logins) that may read a private repository; undefined: every token. */
  readers: Set<string> | undefined;
  /** Tokens (or logins) that may write; undefined: every token that may read. */
  writers: Set<string> | undefined;
  pulls: Map<number, FakePull>;
}

/** A check run as the model keeps it (the `check-run` schema's fields, and every annotation sent). */
export interface FakeCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  headSha: string;
  externalId: string | null;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: FakeAnnotation[] };
  /** How many PATCHes it got. */
  updates: number;
}

export interface FakeAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

/** A commit status as the model keeps it (the `status` schema's fields). */
export interface FakeCommitStatus {
  id: number;
  owner: string;
  repo: string;
  sha: string;
  state: 'pending' | 'success' | 'failure' | 'error';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

/** A GitHub App: its id, slug and key pair (the private key in PKCS#1 PEM, as GitHub hands it out). */
export interface FakeApp {
  id: number;
  slug: string;
  privateKeyPem: string;
  publicKey: KeyObject;
}

export interface FakeInstallation {
  id: number;
  appId: number;
  account: string;
  /** `owner/name` in lower case; undefined: every repository of the account. */
  repositories: Set<string> | undefined;
}

export interface AddCommentInput {
  path: string;
  body: string;
  line: number;
  commitId?: string;
  side?: Side;
  startLine?: number;
  startSide?: Side;
  originalLine?: number;
  /** The id of the comment answered: the reply joins its thread. */
  inReplyTo?: number;
  user?: string;
  createdAt?: string;
  diffHunk?: string;
  /** Made on a line the head no longer has: `line` and `position` become null, the thread `isOutdated`. */
  outdated?: boolean;
  reviewId?: number;
}

export interface RateLimitOptions {
  /** A secondary rate limit (retry-after) instead of the primary one (x-ratelimit-remaining 0). */
  secondary?: boolean;
  /** 403 by default; GitHub documents both 403 and 429. */
  status?: 403 | 429;
  /** Seconds for `retry-after` (secondary); default: until the reset. */
  retryAfter?: number;
}

/**
 * What a request gets instead of its answer, for the tests of a GitHub (or a
 * proxy in front of it) that misbehaves.
 */
export type FakeMisbehaviour =
  /** Never answers; the client must time out. */
  | { kind: 'hang' }
  /** Sends the status, headers and the start of `body`, then nothing more. */
  | { kind: 'stall'; status?: number; body: string; contentType?: string }
  /** Any status and body, as given (an HTML error page, JSON cut short, the wrong shape). */
  | { kind: 'raw'; status: number; body: string; contentType?: string; headers?: Record<string, string> }
  /** A redirect to `location` (the same URL, with `times: Infinity`, is a loop). */
  | { kind: 'redirect'; location: string; status?: 301 | 302 | 307 | 308 }
  /** Closes the connection without a word. */
  | { kind: 'close' };

export interface MisbehaveOptions {
  /** Only requests to this path (without the query), e.g. `/graphql`; every path by default. */
  path?: string | RegExp;
  method?: string;
  /** How many matching requests misbehave; 1 by default, `Infinity` for all. */
  times?: number;
}

/** The writes made through the API, in order. */
export interface FakeGitHubPosted {
  reviews: FakeReview[];
  /** The review comments each posted review created (and those only). */
  reviewComments: FakeComment[];
  replies: FakeComment[];
  reactions: FakeReaction[];
  deletedReactions: number[];
  edits: { commentId: number; body: string }[];
  resolutions: { threadId: string; resolved: boolean }[];
}

export interface FakeGitHub {
  /** `http://127.0.0.1:PORT`, Octokit's `baseUrl`. */
  apiUrl: string;
  /** Every request, in arrival order. */
  requests: RecordedGitHubRequest[];
  /** The token of the default user (`login`), accepted as `token X` or `Bearer X`. */
  token: string;
  login: string;
  /** How many requests were answered 304. */
  readonly notModified: number;
  posted: FakeGitHubPosted;
  /** The largest `per_page` honoured (100, like GitHub). */
  perPageMax: number;
  repositories: Map<string, FakeRepository>;
  users: Map<string, FakeUser>;
  /** Another accepted token, acting as `login`. */
  addToken(token: string, login: string): void;
  addUser(login: string, options?: { type?: 'User' | 'Bot'; association?: AuthorAssociation }): FakeUser;
  addRepository(owner: string, repo: string, options?: { private?: boolean; readers?: string[]; writers?: string[] }): FakeRepository;
  addPull(
    owner: string,
    repo: string,
    pull: { number: number; head: { ref: string; sha: string; owner?: string }; base: { ref: string; sha: string }; title?: string; body?: string; user?: string; state?: 'open' | 'closed'; merged?: boolean; draft?: boolean },
  ): FakePull;
  pull(owner: string, repo: string, number: number): FakePull;
  /** The lines of `path` a review comment may be posted on (RIGHT: the head's line numbers). */
  setDiffLines(owner: string, repo: string, number: number, path: string, lines: number[], side?: Side): void;
  addReviewComment(owner: string, repo: string, number: number, comment: AddCommentInput): FakeComment;
  editReviewComment(id: number, body: string): void;
  /** Deletes a review comment, as its author can on GitHub (a thread left empty goes too). */
  deleteReviewComment(id: number): void;
  comment(id: number): FakeComment;
  addReview(owner: string, repo: string, number: number, review: { body: string; state: ReviewState; user?: string; commitId?: string }): FakeReview;
  /** By the id of any comment in the thread, or the thread's node id. */
  thread(commentOrThreadId: number | string): FakeThread;
  resolveThread(commentOrThreadId: number | string, resolved: boolean, by?: string): void;
  /** Makes the thread's comments outdated (as a push that moved their lines would). */
  outdateThread(commentOrThreadId: number | string): void;
  /**
   * Until `resetEpochSeconds` passes (or `rateLimit(0)`), every request gets GitHub's
   * rate-limit answer.
   */
  rateLimit(resetEpochSeconds: number, options?: RateLimitOptions): void;
  /** The primary limit's state: requests left this hour, used, and the reset (epoch seconds). */
  rateLimitState(resource?: 'core' | 'graphql'): { limit: number; remaining: number; used: number; reset: number };
  /** The next request gets this status and body (GitHub's `{ message }` by default), once per call. */
  failNext(status: number, body?: object, headers?: Record<string, string>): void;
  /** Matching requests get `behaviour` instead of their answer (before `failNext`, access and rate limits). */
  misbehave(behaviour: FakeMisbehaviour, options?: MisbehaveOptions): void;
  /** Forgets every misbehaviour not yet used up. */
  calm(): void;
  /** The check runs of a repository, oldest first; only those on `headSha` when given. */
  checkRuns(owner: string, repo: string, headSha?: string): FakeCheckRun[];
  /** When true, check runs may be written with an installation token only (GitHub's rule); false by default. */
  checkRunsNeedApp: boolean;
  /** The commit statuses of a repository, oldest first; only those on `sha` when given. */
  statuses(owner: string, repo: string, sha?: string): FakeCommitStatus[];
  /** A GitHub App; without `privateKeyPem`, a new RSA key pair is made (the test gives the product its private PEM). */
  addApp(app?: { id?: number; slug?: string; privateKeyPem?: string }): FakeApp;
  /** Installs app `appId` on `owner`'s repositories (all, or `repo` added to its selection); returns the installation's id. */
  installApp(appId: number, owner: string, repo?: string): number;
  /** How long the installation tokens minted from now on live (1 h, as on GitHub). */
  tokenLifetimeMs: number;
  /** Every installation token minted, in order. */
  readonly installationTokens: ReadonlyArray<{ token: string; installationId: number; expiresAt: number }>;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  token?: string;
  login?: string;
  /** Requests per hour (5000, as for a personal access token). */
  limit?: number;
  /** The clock for timestamps, `since` and rate-limit resets, in epoch milliseconds. */
  now?: () => number;
  /**
   * The token's classic scopes, sent as `x-oauth-scopes` on every authenticated answer
   * (`'repo, read:org'`); left out, the header is absent, as for a fine-grained token.
   */
  scopes?: string;
}

const DOCS = 'https://docs.github.com/rest';
const RATE_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const SECONDARY_DOCS = 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: object,
  ) {
    super(String((body as { message?: string }).message ?? status));
  }
}

/** What the test app may do, as its installation tokens say. */
const INSTALLATION_PERMISSIONS = { checks: 'write', contents: 'read', metadata: 'read', pull_requests: 'write' };

const notFound = (): HttpError => new HttpError(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });

/** Starts a fake GitHub on 127.0.0.1 and an ephemeral port. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const now = options.now ?? Date.now;
  const limit = options.limit ?? 5000;
  const token = options.token ?? 'ghp_fakeDiffwiseToken0123456789abcdefABCD';
  const login = options.login ?? 'diffwise-dev';
  const tokens = new Map<string, string>([[token, login]]);
  const users = new Map<string, FakeUser>();
  const repositories = new Map<string, FakeRepository>();
  const comments = new Map<number, FakeComment>();
  const threads = new Map<string, FakeThread>();
  const failures: { status: number; body?: object; headers?: Record<string, string> }[] = [];
  const misbehaviours: { behaviour: FakeMisbehaviour; options: MisbehaveOptions; left: number }[] = [];
  const buckets = new Map<string, { used: number; reset: number }>();
  let scriptedLimit: { reset: number; options: RateLimitOptions } | undefined;
  let nextId = 1000;
  let notModified = 0;
  const posted: FakeGitHubPosted = { reviews: [], reviewComments: [], replies: [], reactions: [], deletedReactions: [], edits: [], resolutions: [] };
  let apiUrl = '';
  const checkRuns: FakeCheckRun[] = [];
  const commitStatuses: FakeCommitStatus[] = [];
  const apps = new Map<number, FakeApp>();
  const installations = new Map<number, FakeInstallation>();
  const installationTokens = new Map<string, { token: string; installationId: number; expiresAt: number }>();
  const appSettings = { checkRunsNeedApp: false, tokenLifetimeMs: 3_600_000 };
  /** The installation whose token the request being answered carries (answers are made synchronously). */
  let requestInstallation: FakeInstallation | undefined;

  const iso = (ms = now()): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const newId = (): number => ++nextId;

  function user(loginName: string): FakeUser {
    let found = users.get(loginName);
    if (!found) {
      found = { login: loginName, id: newId(), type: loginName.endsWith('[bot]') ? 'Bot' : 'User', association: 'NONE' };
      users.set(loginName, found);
    }
    return found;
  }

  function repository(owner: string, repo: string): FakeRepository {
    const found = repositories.get(`${owner}/${repo}`.toLowerCase());
    if (!found) throw new Error(`fakeGitHub: no repository ${owner}/${repo}`);
    return found;
  }

  function pull(owner: string, repo: string, number: number): FakePull {
    const found = repository(owner, repo).pulls.get(number);
    if (!found) throw new Error(`fakeGitHub: no pull request ${owner}/${repo}#${number}`);
    return found;
  }

  function threadOf(ref: number | string): FakeThread {
    const found = typeof ref === 'string' ? threads.get(ref) : comments.get(ref) && threads.get(comments.get(ref)!.threadId);
    if (!found) throw new Error(`fakeGitHub: no thread for ${ref}`);
    return found;
  }

  function createComment(owner: string, repo: string, number: number, input: AddCommentInput): FakeComment {
    const target = pull(owner, repo, number);
    const parent = input.inReplyTo === undefined ? undefined : comments.get(input.inReplyTo);
    if (input.inReplyTo !== undefined && !parent) throw new Error(`fakeGitHub: no comment ${input.inReplyTo} to reply to`);
    // A reply to a reply answers the thread's first comment, as GitHub's replies do.
    const root = parent ? threads.get(parent.threadId)!.comments[0] : undefined;
    const createdAt = input.createdAt ?? iso();
    const id = newId();
    const commitId = input.commitId ?? root?.commitId ?? target.head.sha;
    const comment: FakeComment = {
      id,
      nodeId: `PRRC_kwDOfake${id}`,
      owner,
      repo,
      pullNumber: number,
      reviewId: input.reviewId ?? null,
      threadId: root?.threadId ?? `PRRT_kwDOfake${newId()}`,
      path: root?.path ?? input.path,
      body: input.body,
      line: input.outdated || root?.line === null ? null : (root?.line ?? input.line),
      originalLine: root?.originalLine ?? input.originalLine ?? input.line,
      startLine: root ? root.startLine : (input.startLine ?? null),
      originalStartLine: root ? root.originalStartLine : (input.startLine ?? null),
      side: root?.side ?? input.side ?? 'RIGHT',
      startSide: root ? root.startSide : input.startLine === undefined ? null : (input.startSide ?? input.side ?? 'RIGHT'),
      commitId,
      originalCommitId: root?.originalCommitId ?? commitId,
      diffHunk: root?.diffHunk ?? input.diffHunk ?? `@@ -${input.line},1 +${input.line},1 @@`,
      inReplyTo: root?.id ?? null,
      user: user(input.user ?? login).login,
      createdAt,
      updatedAt: createdAt,
      reactions: [],
    };
    comments.set(id, comment);
    target.comments.push(comment);
    if (root) threads.get(root.threadId)!.comments.push(comment);
    else {
      const thread: FakeThread = { id: comment.threadId, comments: [comment], isResolved: false, resolvedBy: null };
      threads.set(thread.id, thread);
      target.threads.push(thread);
    }
    target.updatedAt = createdAt;
    return comment;
  }

  function createReview(owner: string, repo: string, number: number, input: { body: string; state: ReviewState; user?: string; commitId?: string }): FakeReview {
    const target = pull(owner, repo, number);
    const id = newId();
    const review: FakeReview = {
      id,
      nodeId: `PRR_kwDOfake${id}`,
      user: user(input.user ?? login).login,
      body: input.body,
      state: input.state,
      commitId: input.commitId ?? target.head.sha,
      submittedAt: input.state === 'PENDING' ? null : iso(),
    };
    target.reviews.push(review);
    target.updatedAt = iso();
    return review;
  }

  // ---- JSON shapes ----

  const userJson = (loginName: string): object => {
    const u = user(loginName);
    return {
      login: u.login,
      id: u.id,
      node_id: `U_kgDOfake${u.id}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      gravatar_id: '',
      url: `${apiUrl}/users/${encodeURIComponent(u.login)}`,
      html_url: `https://github.com/${u.login}`,
      type: u.type,
      site_admin: false,
    };
  };

  const association = (repo: FakeRepository, loginName: string): AuthorAssociation =>
    loginName.toLowerCase() === repo.owner.toLowerCase() ? 'OWNER' : user(loginName).association;

  const repoJson = (repo: FakeRepository, requester?: string): object => ({
    id: repo.id,
    node_id: `R_kgDOfake${repo.id}`,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: repo.private,
    owner: userJson(repo.owner),
    html_url: `https://github.com/${repo.owner}/${repo.name}`,
    url: `${apiUrl}/repos/${repo.owner}/${repo.name}`,
    default_branch: 'main',
    ...(requester === undefined ? {} : { permissions: { admin: false, maintain: false, push: canWrite(repo, requester), triage: canWrite(repo, requester), pull: true } }),
  });

  function pullJson(repo: FakeRepository, p: FakePull, full: boolean): object {
    const base = `${apiUrl}/repos/${repo.owner}/${repo.name}`;
    const html = `https://github.com/${repo.owner}/${repo.name}/pull/${p.number}`;
    const visible = p.comments.filter((c) => !pendingFor(p, c, undefined));
    const json: Record<string, unknown> = {
      url: `${base}/pulls/${p.number}`,
      id: p.id,
      node_id: p.nodeId,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${base}/issues/${p.number}`,
      commits_url: `${base}/pulls/${p.number}/commits`,
      review_comments_url: `${base}/pulls/${p.number}/comments`,
      review_comment_url: `${base}/pulls/comments{/number}`,
      comments_url: `${base}/issues/${p.number}/comments`,
      statuses_url: `${base}/statuses/${p.head.sha}`,
      number: p.number,
      state: p.state,
      locked: false,
      title: p.title,
      user: userJson(p.user),
      body: p.body,
      labels: [],
      milestone: null,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      closed_at: p.state === 'closed' ? p.updatedAt : null,
      merged_at: p.merged ? p.updatedAt : null,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: { label: `${p.head.owner}:${p.head.ref}`, ref: p.head.ref, sha: p.head.sha, user: userJson(p.head.owner), repo: repoJson(repositories.get(`${p.head.owner}/${repo.name}`.toLowerCase()) ?? repo) },
      base: { label: `${repo.owner}:${p.base.ref}`, ref: p.base.ref, sha: p.base.sha, user: userJson(repo.owner), repo: repoJson(repo) },
      author_association: association(repo, p.user),
      auto_merge: null,
      draft: p.draft,
    };
    if (full) {
      Object.assign(json, {
        merged: p.merged,
        mergeable: null,
        rebaseable: null,
        mergeable_state: 'unknown',
        merged_by: null,
        comments: 0,
        review_comments: visible.length,
        maintainer_can_modify: false,
        commits: 1,
        additions: 0,
        deletions: 0,
        changed_files: new Set([...p.diffLines.keys()].map((key) => key.slice(key.indexOf(':') + 1))).size,
      });
    }
    return json;
  }

  function reactionRollup(c: FakeComment): object {
    const rollup: Record<string, unknown> = { url: `${apiUrl}/repos/${c.owner}/${c.repo}/pulls/comments/${c.id}/reactions`, total_count: c.reactions.length };
    for (const content of REACTIONS) rollup[content] = c.reactions.filter((r) => r.content === content).length;
    return rollup;
  }

  function position(p: FakePull, c: FakeComment, line: number | null): number | null {
    if (line === null) return null;
    const lines = p.diffLines.get(`${c.side}:${c.path}`);
    const index = lines ? lines.indexOf(line) : -1;
    return index >= 0 ? index + 1 : 1;
  }

  function commentJson(c: FakeComment): object {
    const repo = repository(c.owner, c.repo);
    const p = pull(c.owner, c.repo, c.pullNumber);
    const self = `${apiUrl}/repos/${repo.owner}/${repo.name}/pulls/comments/${c.id}`;
    const html = `https://github.com/${repo.owner}/${repo.name}/pull/${p.number}#discussion_r${c.id}`;
    const pullUrl = `${apiUrl}/repos/${repo.owner}/${repo.name}/pulls/${p.number}`;
    return {
      url: self,
      pull_request_review_id: c.reviewId,
      id: c.id,
      node_id: c.nodeId,
      diff_hunk: c.diffHunk,
      path: c.path,
      position: position(p, c, c.line),
      original_position: position(p, c, c.originalLine),
      commit_id: c.commitId,
      original_commit_id: c.originalCommitId,
      ...(c.inReplyTo === null ? {} : { in_reply_to_id: c.inReplyTo }),
      user: userJson(c.user),
      body: c.body,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: association(repo, c.user),
      _links: { self: { href: self }, html: { href: html }, pull_request: { href: pullUrl } },
      start_line: c.startLine,
      original_start_line: c.originalStartLine,
      start_side: c.startSide,
      line: c.line,
      original_line: c.originalLine,
      side: c.side,
      subject_type: 'line',
      reactions: reactionRollup(c),
    };
  }

  function reviewJson(repo: FakeRepository, p: FakePull, r: FakeReview): object {
    const html = `https://github.com/${repo.owner}/${repo.name}/pull/${p.number}#pullrequestreview-${r.id}`;
    const pullUrl = `${apiUrl}/repos/${repo.owner}/${repo.name}/pulls/${p.number}`;
    return {
      id: r.id,
      node_id: r.nodeId,
      user: userJson(r.user),
      body: r.body,
      state: r.state,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: association(repo, r.user),
      _links: { html: { href: html }, pull_request: { href: pullUrl } },
      ...(r.submittedAt === null ? {} : { submitted_at: r.submittedAt }),
      commit_id: r.commitId,
    };
  }

  const reactionJson = (r: FakeReaction): object => ({ id: r.id, node_id: `REA_lATOfake${r.id}`, user: userJson(r.user), content: r.content, created_at: r.createdAt });

  // ---- access ----

  /** Whether a list of tokens or logins names the requester (a token may be added after the list). */
  const names = (list: Set<string>, requester: string): boolean => [...list].some((entry) => entry === requester || tokens.get(entry) === requester);
  function canRead(repo: FakeRepository, requester: string): boolean {
    if (requestInstallation) return !repo.private || installed(requestInstallation, repo);
    return !repo.private || repo.readers === undefined || names(repo.readers, requester);
  }
  function canWrite(repo: FakeRepository, requester: string): boolean {
    if (requestInstallation) return installed(requestInstallation, repo);
    return canRead(repo, requester) && (repo.writers === undefined || names(repo.writers, requester));
  }
  function installed(installation: FakeInstallation, repo: FakeRepository): boolean {
    if (installation.account.toLowerCase() !== repo.owner.toLowerCase()) return false;
    return installation.repositories === undefined || installation.repositories.has(`${repo.owner}/${repo.name}`.toLowerCase());
  }
  /** A PENDING review's comments are seen by their author only. */
  function pendingFor(p: FakePull, c: FakeComment, viewer: string | undefined): boolean {
    const review = c.reviewId === null ? undefined : p.reviews.find((r) => r.id === c.reviewId);
    return review?.state === 'PENDING' && review.user !== viewer;
  }

  function bucket(resource: 'core' | 'graphql'): { used: number; reset: number } {
    let found = buckets.get(resource);
    const seconds = Math.floor(now() / 1000);
    if (!found || found.reset <= seconds) {
      found = { used: 0, reset: seconds + 3600 };
      buckets.set(resource, found);
    }
    return found;
  }

  // ---- HTTP ----

  const state = { requests: [] as RecordedGitHubRequest[], perPageMax: 100 };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const url = new URL(req.url ?? '/', apiUrl);
      const record: RecordedGitHubRequest = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, status: 0, receivedAt: Date.now(), closedAt: 0 };
      state.requests.push(record);
      res.on('close', () => {
        record.closedAt = Date.now();
      });
      const resource = url.pathname === '/graphql' ? 'graphql' : 'core';
      const send = (status: number, payload: unknown, extra: Record<string, string> = {}): void => {
        record.status = status;
        if (res.destroyed) return;
        // Octokit's request log and errors name it.
        const headers = { 'x-github-request-id': `FAKE:${state.requests.length.toString(16).toUpperCase()}`, ...extra };
        if (status === 304 || status === 204) {
          res.writeHead(status, headers);
          res.end();
          return;
        }
        const json = JSON.stringify(payload);
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(json)), ...headers });
        res.end(json);
      };
      const rateHeaders = (b: { used: number; reset: number }, remaining = Math.max(0, limit - b.used)): Record<string, string> => ({
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-used': String(limit - remaining),
        'x-ratelimit-reset': String(b.reset),
        'x-ratelimit-resource': resource,
        ...(options.scopes !== undefined ? { 'x-oauth-scopes': options.scopes } : {}),
      });

      const misbehaviour = misbehaviours.find(({ options: when, left }) =>
        left > 0
        && (when.method === undefined || when.method.toUpperCase() === req.method)
        && (when.path === undefined || (typeof when.path === 'string' ? when.path === url.pathname : when.path.test(url.pathname))));
      if (misbehaviour) {
        misbehaviour.left -= 1;
        misbehave(misbehaviour.behaviour, res, record);
        return;
      }
      const failure = failures.shift();
      if (failure) {
        send(failure.status, failure.body ?? { message: http.STATUS_CODES[failure.status] ?? 'Error', documentation_url: DOCS, status: String(failure.status) }, failure.headers);
        return;
      }
      const authorization = req.headers.authorization;
      const authDocs = resource === 'graphql' ? 'https://docs.github.com/graphql' : DOCS;
      if (!authorization) {
        send(401, { message: 'Requires authentication', documentation_url: authDocs, status: '401' });
        return;
      }
      const credential = authorization.replace(/^(token|bearer)\s+/i, '');
      requestInstallation = undefined;
      if (isAppRoute(req.method ?? 'GET', url.pathname)) {
        const app = appOfJwt(credential);
        if ('error' in app) {
          send(401, { message: app.error, documentation_url: `${DOCS}/apps/apps`, status: '401' });
          return;
        }
        try {
          const answer = appRoute(req.method ?? 'GET', url.pathname, app);
          send(answer.status, answer.body);
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          send(error.status, error.body);
        }
        return;
      }
      const minted = installationTokens.get(credential);
      if (minted && minted.expiresAt <= now()) {
        send(401, { message: 'Bad credentials', documentation_url: authDocs, status: '401' });
        return;
      }
      if (minted) requestInstallation = installations.get(minted.installationId);
      const requester = minted ? `${apps.get(requestInstallation!.appId)!.slug}[bot]` : tokens.get(credential);
      if (requester === undefined) {
        send(401, { message: 'Bad credentials', documentation_url: authDocs, status: '401' });
        return;
      }
      const b = bucket(resource);
      // GitHub does not count this one against the limit, and answers it even when the limit is used up.
      if (req.method === 'GET' && url.pathname === '/rate_limit') {
        const entry = (x: { used: number; reset: number }) => ({ limit, used: x.used, remaining: Math.max(0, limit - x.used), reset: x.reset });
        send(200, { resources: { core: entry(b), graphql: entry(bucket('graphql')) }, rate: entry(b) }, rateHeaders(b));
        return;
      }
      if (scriptedLimit && scriptedLimit.reset * 1000 <= now()) scriptedLimit = undefined;
      if (scriptedLimit || b.used >= limit) {
        const reset = scriptedLimit?.reset ?? b.reset;
        const secondary = scriptedLimit?.options.secondary ?? false;
        const status = scriptedLimit?.options.status ?? 403;
        if (secondary) {
          const retryAfter = scriptedLimit?.options.retryAfter ?? Math.max(0, reset - Math.floor(now() / 1000));
          const message = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
          // The same body on /graphql: clients (Octokit's throttling) recognise it by the message.
          send(status, { message, documentation_url: SECONDARY_DOCS, status: String(status) }, {
            ...rateHeaders(b),
            'retry-after': String(retryAfter),
          });
        } else {
          const message = `API rate limit exceeded for user ID ${user(requester).id}.`;
          send(status, resource === 'graphql' ? { errors: [{ type: 'RATE_LIMITED', message }] } : { message, documentation_url: RATE_DOCS, status: String(status) }, {
            ...rateHeaders({ used: limit, reset }, 0),
          });
        }
        return;
      }
      try {
        if (resource === 'graphql') {
          if (req.method !== 'POST') throw notFound();
          b.used += 1;
          send(200, graphql(body, requester), rateHeaders(b));
          return;
        }
        const answer = route(req.method ?? 'GET', url, body, requester);
        if (req.method === 'GET') {
          const etag = `W/"${createHash('sha256').update(JSON.stringify(answer.body)).digest('hex')}"`;
          const headers: Record<string, string> = { etag, ...(answer.link ? { link: answer.link } : {}) };
          if (etagMatches(req.headers['if-none-match'], etag)) {
            notModified += 1;
            send(304, undefined, { ...headers, ...rateHeaders(b) });
            return;
          }
          b.used += 1;
          send(answer.status, answer.body, { ...headers, ...rateHeaders(b) });
          return;
        }
        b.used += 1;
        send(answer.status, answer.body, rateHeaders(b));
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        b.used += 1;
        send(error.status, error.body, rateHeaders(b));
      }
    });
  });

  // ---- REST routes ----

  interface Answer {
    status: number;
    body: unknown;
    link?: string;
  }

  function paginate<T>(url: URL, items: T[]): { page: T[]; link: string | undefined } {
    const perPage = Math.min(state.perPageMax, Math.max(1, Number(url.searchParams.get('per_page')) || 30));
    const pageNumber = Math.max(1, Number(url.searchParams.get('page')) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const page = items.slice((pageNumber - 1) * perPage, pageNumber * perPage);
    if (last === 1 && pageNumber === 1) return { page, link: undefined };
    const at = (n: number): string => {
      const target = new URL(url.href);
      target.searchParams.set('per_page', String(perPage));
      target.searchParams.set('page', String(n));
      return `<${target.href}>`;
    };
    const links: string[] = [];
    if (pageNumber > 1) links.push(`${at(Math.min(pageNumber - 1, last))}; rel="prev"`);
    if (pageNumber < last) links.push(`${at(pageNumber + 1)}; rel="next"`, `${at(last)}; rel="last"`);
    if (pageNumber > 1) links.push(`${at(1)}; rel="first"`);
    return { page, link: links.join(', ') };
  }

  function readable(owner: string, name: string, requester: string): FakeRepository {
    const repo = repositories.get(`${owner}/${name}`.toLowerCase());
    // GitHub hides a repository the token may not read behind the same 404 as a missing one.
    if (!repo || !canRead(repo, requester)) throw notFound();
    return repo;
  }

  function writable(repo: FakeRepository, requester: string): void {
    if (!canWrite(repo, requester)) throw new HttpError(403, { message: 'Resource not accessible by personal access token', documentation_url: DOCS, status: '403' });
  }

  function repoComment(repo: FakeRepository, id: string, requester: string): FakeComment {
    const c = comments.get(Number(id));
    if (!c || c.owner.toLowerCase() !== repo.owner.toLowerCase() || c.repo.toLowerCase() !== repo.name.toLowerCase()) throw notFound();
    if (pendingFor(pull(c.owner, c.repo, c.pullNumber), c, requester)) throw notFound();
    return c;
  }

  const unprocessable = (errors: string[], doc: string): HttpError =>
    new HttpError(422, { message: 'Unprocessable Entity', errors, documentation_url: `${DOCS}/${doc}`, status: '422' });

  function route(method: string, url: URL, body: any, requester: string): Answer {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // Who the token is: how a client tells its own comments from others'.
    if (method === 'GET' && parts.length === 1 && parts[0] === 'user') {
      if (requestInstallation) throw new HttpError(403, { message: 'Resource not accessible by integration', documentation_url: `${DOCS}/users/users#get-the-authenticated-user`, status: '403' });
      return { status: 200, body: userJson(requester) };
    }
    if (parts[0] !== 'repos' || parts.length < 3) throw notFound();
    const repo = readable(parts[1], parts[2], requester);
    const rest = parts.slice(3);
    const key = `${method} ${rest.map((part) => (/^\d+$/.test(part) ? ':n' : part)).join('/')}`;
    const q = url.searchParams;
    const pullAt = (n: string): FakePull => {
      const found = repo.pulls.get(Number(n));
      if (!found) throw notFound();
      return found;
    };

    if (rest[0] === 'check-runs' || (rest[0] === 'commits' && rest[2] === 'check-runs' && rest.length === 3)) return checkRunRoute(method, repo, rest, url, body ?? {}, requester);
    if ((rest[0] === 'statuses' && rest.length === 2) || (rest[0] === 'commits' && rest[2] === 'statuses' && rest.length === 3)) return statusRoute(method, repo, rest, url, body ?? {}, requester);

    switch (key) {
      case 'GET ':
        return { status: 200, body: repoJson(repo, requester) };
      case 'GET pulls': {
        const wanted = q.get('state') ?? 'open';
        const head = q.get('head');
        const baseRef = q.get('base');
        const sort = q.get('sort') ?? 'created';
        // GitHub: desc when sorting by creation (the default), asc otherwise.
        const direction = q.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
        const list = [...repo.pulls.values()]
          .filter((p) => wanted === 'all' || p.state === wanted)
          .filter((p) => !head || `${p.head.owner}:${p.head.ref}`.toLowerCase() === head.toLowerCase())
          .filter((p) => !baseRef || p.base.ref === baseRef)
          .sort((a, b) => (sort === 'updated' ? a.updatedAt.localeCompare(b.updatedAt) : 0) || a.number - b.number);
        if (direction === 'desc') list.reverse();
        const { page, link } = paginate(url, list);
        return { status: 200, body: page.map((p) => pullJson(repo, p, false)), link };
      }
      case 'GET pulls/:n':
        return { status: 200, body: pullJson(repo, pullAt(rest[1]), true) };
      case 'GET pulls/:n/comments': {
        const p = pullAt(rest[1]);
        const since = q.get('since') ? Date.parse(q.get('since')!) : NaN;
        const sort = q.get('sort');
        // Without `sort`, GitHub lists by id ascending and ignores `direction`; with it, the default
        // direction is undocumented (desc here, as GitHub's other lists): clients should send one.
        const direction = sort ? (q.get('direction') ?? 'desc') : 'asc';
        const list = p.comments
          .filter((c) => !pendingFor(p, c, requester))
          .filter((c) => Number.isNaN(since) || Date.parse(c.updatedAt) >= since)
          .sort((a, b) => (sort === 'updated' ? a.updatedAt.localeCompare(b.updatedAt) : sort === 'created' ? a.createdAt.localeCompare(b.createdAt) : 0) || a.id - b.id);
        if (direction === 'desc') list.reverse();
        const { page, link } = paginate(url, list);
        return { status: 200, body: page.map(commentJson), link };
      }
      case 'GET pulls/:n/reviews': {
        const p = pullAt(rest[1]);
        const { page, link } = paginate(
          url,
          p.reviews.filter((r) => r.state !== 'PENDING' || r.user === requester),
        );
        return { status: 200, body: page.map((r) => reviewJson(repo, p, r)), link };
      }
      case 'POST pulls/:n/reviews':
        return { status: 200, body: postReview(repo, pullAt(rest[1]), body ?? {}, requester) };
      case 'POST pulls/:n/comments/:n/replies': {
        const p = pullAt(rest[1]);
        const parent = repoComment(repo, rest[3], requester);
        if (parent.pullNumber !== p.number) throw notFound();
        writable(repo, requester);
        if (typeof body?.body !== 'string' || body.body === '') throw unprocessable(['Body cannot be blank'], 'pulls/comments#create-a-reply-for-a-review-comment');
        // A reply through the API is a one-comment review of its own, as on GitHub.
        const review = createReview(repo.owner, repo.name, p.number, { body: '', state: 'COMMENTED', user: requester });
        const reply = createComment(repo.owner, repo.name, p.number, { path: parent.path, line: parent.originalLine, body: body.body, inReplyTo: parent.id, user: requester, reviewId: review.id });
        posted.replies.push(reply);
        return { status: 201, body: commentJson(reply) };
      }
      case 'GET pulls/comments/:n':
        return { status: 200, body: commentJson(repoComment(repo, rest[2], requester)) };
      case 'PATCH pulls/comments/:n': {
        const c = repoComment(repo, rest[2], requester);
        writable(repo, requester);
        if (typeof body?.body !== 'string') throw unprocessable(['Body cannot be blank'], 'pulls/comments#update-a-review-comment-for-a-pull-request');
        editComment(c, body.body);
        posted.edits.push({ commentId: c.id, body: body.body });
        return { status: 200, body: commentJson(c) };
      }
      case 'GET pulls/comments/:n/reactions': {
        const c = repoComment(repo, rest[2], requester);
        const content = q.get('content');
        const { page, link } = paginate(url, c.reactions.filter((r) => !content || r.content === content));
        return { status: 200, body: page.map(reactionJson), link };
      }
      case 'POST pulls/comments/:n/reactions': {
        const c = repoComment(repo, rest[2], requester);
        writable(repo, requester);
        if (!(REACTIONS as readonly string[]).includes(body?.content)) {
          throw new HttpError(422, { message: 'Validation Failed', errors: [{ resource: 'Reaction', code: 'invalid', field: 'content' }], documentation_url: `${DOCS}/reactions/reactions#create-reaction-for-a-pull-request-review-comment`, status: '422' });
        }
        const existing = c.reactions.find((r) => r.user === requester && r.content === body.content);
        if (existing) return { status: 200, body: reactionJson(existing) };
        const reaction: FakeReaction = { id: newId(), user: requester, content: body.content, createdAt: iso() };
        c.reactions.push(reaction);
        posted.reactions.push(reaction);
        return { status: 201, body: reactionJson(reaction) };
      }
      case 'DELETE pulls/comments/:n/reactions/:n': {
        const c = repoComment(repo, rest[2], requester);
        writable(repo, requester);
        const index = c.reactions.findIndex((r) => r.id === Number(rest[4]));
        if (index < 0) throw notFound();
        c.reactions.splice(index, 1);
        posted.deletedReactions.push(Number(rest[4]));
        return { status: 204, body: undefined };
      }
      default:
        throw notFound();
    }
  }

  // ---- check runs ----

  const CONCLUSIONS = ['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out'];
  const CHECK_DOCS = 'checks/runs';

  function checkRunJson(run: FakeCheckRun): object {
    const base = `${apiUrl}/repos/${run.owner}/${run.repo}`;
    return {
      id: run.id,
      head_sha: run.headSha,
      node_id: `CR_kwDOfake${run.id}`,
      external_id: run.externalId,
      url: `${base}/check-runs/${run.id}`,
      html_url: `https://github.com/${run.owner}/${run.repo}/runs/${run.id}`,
      details_url: `https://github.com/${run.owner}/${run.repo}/runs/${run.id}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: { title: run.output.title, summary: run.output.summary, text: run.output.text, annotations_count: run.output.annotations.length, annotations_url: `${base}/check-runs/${run.id}/annotations` },
      name: run.name,
      check_suite: { id: run.id + 1_000_000 },
      app: null,
      pull_requests: [],
    };
  }

  function checkRunRoute(method: string, repo: FakeRepository, rest: string[], url: URL, body: any, requester: string): Answer {
    const write = (): void => {
      writable(repo, requester);
      if (appSettings.checkRunsNeedApp && !requestInstallation) throw new HttpError(403, { message: 'You must authenticate via a GitHub App.', documentation_url: `${DOCS}/${CHECK_DOCS}#create-a-check-run`, status: '403' });
    };
    const runAt = (id: string): FakeCheckRun => {
      const found = checkRuns.find((run) => run.id === Number(id) && run.owner.toLowerCase() === repo.owner.toLowerCase() && run.repo.toLowerCase() === repo.name.toLowerCase());
      if (!found) throw notFound();
      return found;
    };
    if (method === 'GET' && rest[0] === 'commits') {
      const ref = rest[1];
      const name = url.searchParams.get('check_name');
      const status = url.searchParams.get('status');
      let list = checkRuns.filter((run) => run.owner.toLowerCase() === repo.owner.toLowerCase() && run.repo.toLowerCase() === repo.name.toLowerCase() && run.headSha === ref)
        .filter((run) => !name || run.name === name)
        .filter((run) => !status || run.status === status);
      // filter=latest (the default): the most recent run of each name.
      if ((url.searchParams.get('filter') ?? 'latest') === 'latest') list = list.filter((run) => !list.some((other) => other.name === run.name && other.id > run.id));
      list = [...list].reverse();
      const { page, link } = paginate(url, list);
      return { status: 200, body: { total_count: list.length, check_runs: page.map(checkRunJson) }, link };
    }
    if (method === 'POST' && rest.length === 1) {
      write();
      const doc = `${CHECK_DOCS}#create-a-check-run`;
      if (typeof body.name !== 'string' || !body.name) throw unprocessable(['name wasn\'t supplied.'], doc);
      if (typeof body.head_sha !== 'string' || !/^[0-9a-f]{40}$/.test(body.head_sha)) throw unprocessable(['head_sha wasn\'t supplied.'], doc);
      const run: FakeCheckRun = {
        id: newId(), owner: repo.owner, repo: repo.name, name: body.name, headSha: body.head_sha, externalId: body.external_id ?? null,
        status: 'queued', conclusion: null, startedAt: null, completedAt: null, output: { title: null, summary: null, text: null, annotations: [] }, updates: 0,
      };
      applyCheckRun(run, body, doc, true);
      checkRuns.push(run);
      return { status: 201, body: checkRunJson(run) };
    }
    if (method === 'GET' && rest.length === 2) return { status: 200, body: checkRunJson(runAt(rest[1])) };
    if (method === 'PATCH' && rest.length === 2) {
      const run = runAt(rest[1]);
      write();
      applyCheckRun(run, body, `${CHECK_DOCS}#update-a-check-run`, false);
      run.updates += 1;
      return { status: 200, body: checkRunJson(run) };
    }
    throw notFound();
  }

  // ---- commit statuses ----

  const STATUS_STATES = ['pending', 'success', 'failure', 'error'];
  const STATUS_DOCS = 'commits/statuses';

  function statusJson(status: FakeCommitStatus): object {
    const creator = userJson(status.creator) as { avatar_url: string };
    return {
      url: `${apiUrl}/repos/${status.owner}/${status.repo}/statuses/${status.sha}`,
      avatar_url: creator.avatar_url,
      id: status.id,
      node_id: `SC_kwDOfake${status.id}`,
      state: status.state,
      description: status.description,
      target_url: status.targetUrl,
      context: status.context,
      created_at: status.createdAt,
      updated_at: status.updatedAt,
      creator,
    };
  }

  function statusRoute(method: string, repo: FakeRepository, rest: string[], url: URL, body: any, requester: string): Answer {
    const sameRepo = (status: FakeCommitStatus): boolean => status.owner.toLowerCase() === repo.owner.toLowerCase() && status.repo.toLowerCase() === repo.name.toLowerCase();
    if (method === 'GET' && rest[0] === 'commits') {
      const list = commitStatuses.filter((status) => sameRepo(status) && status.sha === rest[1]).reverse();
      const { page, link } = paginate(url, list);
      return { status: 200, body: page.map(statusJson), link };
    }
    if (method !== 'POST' || rest[0] !== 'statuses') throw notFound();
    writable(repo, requester);
    if ((INSTALLATION_PERMISSIONS as Record<string, string>).statuses !== 'write' && requestInstallation) {
      throw new HttpError(403, { message: 'Resource not accessible by integration', documentation_url: `${DOCS}/${STATUS_DOCS}#create-a-commit-status`, status: '403' });
    }
    const sha = rest[1];
    const doc = `${STATUS_DOCS}#create-a-commit-status`;
    if (!/^[0-9a-f]{40}$/.test(sha)) throw new HttpError(422, { message: `No commit found for SHA: ${sha}`, documentation_url: `${DOCS}/${doc}`, status: '422' });
    const invalid = (field: string, message: string): HttpError =>
      new HttpError(422, { message: 'Validation Failed', errors: [{ resource: 'Status', code: 'custom', field, message }], documentation_url: `${DOCS}/${doc}`, status: '422' });
    if (!STATUS_STATES.includes(body.state)) throw invalid('state', 'state is not included in the list');
    if (body.description !== undefined && body.description !== null && (typeof body.description !== 'string' || body.description.length > 140)) throw invalid('description', 'description is too long (maximum is 140 characters)');
    const at = iso();
    const status: FakeCommitStatus = {
      id: newId(), owner: repo.owner, repo: repo.name, sha, state: body.state, context: typeof body.context === 'string' && body.context ? body.context : 'default',
      description: body.description ?? null, targetUrl: body.target_url ?? null, creator: requester, createdAt: at, updatedAt: at,
    };
    commitStatuses.push(status);
    return { status: 201, body: statusJson(status) };
  }

  /** GitHub's checks of a create or update body, all made before anything changes; then the changes. */
  function applyCheckRun(run: FakeCheckRun, body: any, doc: string, creating: boolean): void {
    const status = body.status ?? (creating ? 'queued' : run.status);
    if (!['queued', 'in_progress', 'completed'].includes(status)) throw unprocessable([`Status is not included in the list`], doc);
    const conclusion = body.conclusion ?? null;
    if (conclusion !== null && !CONCLUSIONS.includes(conclusion)) throw unprocessable(['Conclusion is not included in the list'], doc);
    const completing = status === 'completed' || body.completed_at !== undefined || conclusion !== null;
    if (completing && conclusion === null && run.conclusion === null) throw unprocessable(['Conclusion can\'t be blank'], doc);
    const output = body.output;
    if (output !== undefined) {
      if (typeof output?.title !== 'string' || typeof output?.summary !== 'string') throw unprocessable(['Output title and summary are required'], doc);
      const annotations: any[] = Array.isArray(output.annotations) ? output.annotations : [];
      if (annotations.length > 50) {
        throw new HttpError(422, { message: 'Invalid request.\n\nOnly 50 annotations are allowed per request.', documentation_url: `${DOCS}/${doc}`, status: '422' });
      }
      for (const a of annotations) {
        if (typeof a?.path !== 'string' || typeof a?.start_line !== 'number' || typeof a?.end_line !== 'number' || typeof a?.message !== 'string' || !['notice', 'warning', 'failure'].includes(a?.annotation_level)) {
          throw unprocessable(['Annotations need path, start_line, end_line, annotation_level (notice, warning, failure) and message'], doc);
        }
        if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) throw unprocessable(['start_column and end_column are only allowed when start_line and end_line are the same'], doc);
      }
      run.output.title = output.title;
      run.output.summary = output.summary;
      if (output.text !== undefined) run.output.text = output.text;
      run.output.annotations.push(...annotations);
    }
    if (body.name !== undefined) run.name = body.name;
    if (body.external_id !== undefined) run.externalId = body.external_id;
    if (body.started_at !== undefined) run.startedAt = body.started_at;
    if (status === 'in_progress' && run.startedAt === null) run.startedAt = iso();
    if (completing) {
      run.status = 'completed';
      run.conclusion = conclusion ?? run.conclusion;
      run.completedAt = body.completed_at ?? iso();
      run.startedAt ??= run.completedAt;
    } else {
      run.status = status;
    }
  }

  // ---- GitHub Apps ----

  function isAppRoute(method: string, pathname: string): boolean {
    return pathname === '/app' || pathname.startsWith('/app/') || (method === 'GET' && /^\/repos\/[^/]+\/[^/]+\/installation$/.test(pathname));
  }

  /** The app a JWT is signed by, or GitHub's words for why it is refused. */
  function appOfJwt(jwt: string): FakeApp | { error: string } {
    const undecodable = { error: 'A JSON web token could not be decoded' };
    const parts = jwt.split('.');
    if (parts.length !== 3) return undecodable;
    let header: any;
    let payload: any;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return undecodable;
    }
    if (header?.alg !== 'RS256') return undecodable;
    const app = apps.get(Number(payload?.iss));
    if (!app) return { error: `Integration not found` };
    if (!verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), app.publicKey, Buffer.from(parts[2], 'base64url'))) return undecodable;
    const seconds = Math.floor(now() / 1000);
    if (!Number.isInteger(payload.iat) || payload.iat > seconds + 60) return { error: '\'Issued at\' claim (\'iat\') must be an Integer representing the time that the assertion was issued' };
    if (!Number.isInteger(payload.exp) || payload.exp <= seconds || payload.exp - payload.iat > 600 || payload.exp > seconds + 660) {
      return { error: '\'Expiration time\' claim (\'exp\') must be a numeric value representing the future time at which the assertion expires' };
    }
    return app;
  }

  function installationJson(installation: FakeInstallation): object {
    const app = apps.get(installation.appId)!;
    return {
      id: installation.id,
      account: userJson(installation.account),
      repository_selection: installation.repositories === undefined ? 'all' : 'selected',
      access_tokens_url: `${apiUrl}/app/installations/${installation.id}/access_tokens`,
      repositories_url: `${apiUrl}/installation/repositories`,
      html_url: `https://github.com/settings/installations/${installation.id}`,
      app_id: app.id,
      app_slug: app.slug,
      target_id: user(installation.account).id,
      target_type: 'User',
      permissions: INSTALLATION_PERMISSIONS,
      events: ['pull_request', 'issue_comment'],
      created_at: iso(),
      updated_at: iso(),
      suspended_at: null,
    };
  }

  function appRoute(method: string, pathname: string, app: FakeApp): Answer {
    if (method === 'GET' && pathname === '/app') {
      return { status: 200, body: { id: app.id, slug: app.slug, node_id: `A_kwDOfake${app.id}`, name: app.slug, owner: userJson(login), html_url: `https://github.com/apps/${app.slug}`, permissions: INSTALLATION_PERMISSIONS, events: ['pull_request', 'issue_comment'], installations_count: [...installations.values()].filter((i) => i.appId === app.id).length } };
    }
    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(pathname);
    if (method === 'GET' && repoMatch) {
      const repo = repositories.get(`${decodeURIComponent(repoMatch[1])}/${decodeURIComponent(repoMatch[2])}`.toLowerCase());
      const found = repo && [...installations.values()].find((i) => i.appId === app.id && installed(i, repo));
      if (!found) throw notFound();
      return { status: 200, body: installationJson(found) };
    }
    const tokenMatch = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(pathname);
    if (method === 'POST' && tokenMatch) {
      const installation = installations.get(Number(tokenMatch[1]));
      if (!installation || installation.appId !== app.id) throw notFound();
      const token = `ghs_${randomBytes(27).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(36, 'x').slice(0, 36)}`;
      const expiresAt = now() + appSettings.tokenLifetimeMs;
      const minted = { token, installationId: installation.id, expiresAt };
      installationTokens.set(token, minted);
      user(`${app.slug}[bot]`).type = 'Bot';
      return { status: 201, body: { token, expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'), permissions: INSTALLATION_PERMISSIONS, repository_selection: installation.repositories === undefined ? 'all' : 'selected' } };
    }
    throw notFound();
  }

  function postReview(repo: FakeRepository, p: FakePull, body: any, requester: string): object {
    writable(repo, requester);
    const doc = 'pulls/reviews#create-a-review-for-a-pull-request';
    const events: Record<string, ReviewState> = { COMMENT: 'COMMENTED', APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED' };
    const state: ReviewState | undefined = body.event === undefined ? 'PENDING' : events[body.event];
    if (!state) throw unprocessable([`Event "${String(body.event)}" is not one of COMMENT, APPROVE, REQUEST_CHANGES`], doc);
    const drafts: any[] = Array.isArray(body.comments) ? body.comments : [];
    // GitHub checks every comment first: a review is posted whole or not at all.
    for (const draft of drafts) {
      const side: Side = draft.side ?? 'RIGHT';
      const lines = p.diffLines.get(`${side}:${draft.path}`);
      if (!lines && ![...p.diffLines.keys()].some((k) => k.endsWith(`:${draft.path}`))) {
        throw unprocessable(["Pull request review thread path is invalid and Pull request review thread diff hunk can't be blank"], doc);
      }
      if (typeof draft.line !== 'number' || !lines?.includes(draft.line)) {
        throw unprocessable(["Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank"], doc);
      }
      if (draft.start_line !== undefined) {
        const startLines = p.diffLines.get(`${draft.start_side ?? side}:${draft.path}`);
        if (typeof draft.start_line !== 'number' || draft.start_line > draft.line || !startLines?.includes(draft.start_line)) {
          throw unprocessable(['Pull request review thread start line must be part of the same hunk as the line.'], doc);
        }
      }
    }
    const review = createReview(repo.owner, repo.name, p.number, { body: body.body ?? '', state, user: requester, commitId: body.commit_id });
    for (const draft of drafts) {
      const comment = createComment(repo.owner, repo.name, p.number, {
        path: draft.path,
        line: draft.line,
        side: draft.side,
        startLine: draft.start_line,
        startSide: draft.start_side,
        body: String(draft.body ?? ''),
        commitId: body.commit_id,
        user: requester,
        reviewId: review.id,
      });
      posted.reviewComments.push(comment);
    }
    posted.reviews.push(review);
    return reviewJson(repo, p, review);
  }

  function editComment(c: FakeComment, text: string): void {
    c.body = text;
    c.updatedAt = iso();
    pull(c.owner, c.repo, c.pullNumber).updatedAt = c.updatedAt;
  }

  // ---- GraphQL ----

  function graphql(body: any, requester: string): object {
    const queryText = typeof body?.query === 'string' ? body.query : '';
    const variables: Record<string, unknown> = body?.variables ?? {};
    let document: GqlDocument;
    try {
      document = parseGraphql(queryText);
    } catch (error) {
      return { errors: [{ message: (error as Error).message, locations: [] }] };
    }
    const errors: object[] = [];
    const data: Record<string, unknown> = {};
    const root = document.operation === 'mutation' ? mutationRoot(requester) : queryRoot(requester);
    for (const field of document.selections) {
      data[field.alias] = resolveField(root, document.operation === 'mutation' ? 'Mutation' : 'Query', field, variables, [field.alias], errors);
    }
    return errors.length ? { data, errors } : { data };
  }

  function connection<T>(typeName: string, fieldName: string, items: T[], args: Record<string, unknown>, node: (item: T) => GqlObject): GqlObject {
    const first = args.first as number | undefined;
    if (first === undefined || first === null) throw new GqlError('MISSING_PAGINATION_BOUNDARIES', `You must provide a \`first\` or \`last\` value to properly paginate the \`${fieldName}\` connection.`);
    if (first > 100) throw new GqlError('EXCESSIVE_PAGINATION', `Requesting ${first} records on the \`${fieldName}\` connection exceeds the \`first\` limit of 100 records.`);
    const cursor = (index: number): string => Buffer.from(`cursor:v2:${index}`).toString('base64');
    const after = typeof args.after === 'string' ? Number(Buffer.from(args.after, 'base64').toString('utf8').split(':')[2]) + 1 : 0;
    const start = Number.isNaN(after) ? 0 : after;
    const slice = items.slice(start, start + first);
    return {
      __typename: `${typeName}Connection`,
      totalCount: () => items.length,
      nodes: () => slice.map(node),
      edges: () => slice.map((item, i) => ({ __typename: `${typeName}Edge`, cursor: () => cursor(start + i), node: () => node(item) })),
      pageInfo: () => ({
        __typename: 'PageInfo',
        hasNextPage: () => start + first < items.length,
        hasPreviousPage: () => start > 0,
        endCursor: () => (slice.length ? cursor(start + slice.length - 1) : null),
        startCursor: () => (slice.length ? cursor(start) : null),
      }),
    };
  }

  function commentNode(c: FakeComment): GqlObject {
    return {
      __typename: 'PullRequestReviewComment',
      id: () => c.nodeId,
      databaseId: () => c.id,
      body: () => c.body,
      path: () => c.path,
      createdAt: () => c.createdAt,
      updatedAt: () => c.updatedAt,
      url: () => `https://github.com/${c.owner}/${c.repo}/pull/${c.pullNumber}#discussion_r${c.id}`,
      author: () => ({ __typename: user(c.user).type, login: () => c.user }),
      replyTo: () => {
        const parent = c.inReplyTo === null ? undefined : comments.get(c.inReplyTo);
        return parent ? commentNode(parent) : null;
      },
    };
  }

  function threadNode(t: FakeThread, requester: string): GqlObject {
    const root = t.comments[0];
    const repo = repository(root.owner, root.repo);
    return {
      __typename: 'PullRequestReviewThread',
      id: () => t.id,
      isResolved: () => t.isResolved,
      isOutdated: () => root.line === null,
      path: () => root.path,
      line: () => root.line,
      originalLine: () => root.originalLine,
      startLine: () => (root.line === null ? null : root.startLine),
      originalStartLine: () => root.originalStartLine,
      diffSide: () => root.side,
      startDiffSide: () => root.startSide,
      subjectType: () => 'LINE',
      viewerCanResolve: () => !t.isResolved && canWrite(repo, requester),
      viewerCanUnresolve: () => t.isResolved && canWrite(repo, requester),
      resolvedBy: () => (t.resolvedBy === null ? null : { __typename: 'User', login: () => t.resolvedBy }),
      comments: (args) => connection('PullRequestReviewComment', 'comments', t.comments, args, commentNode),
    };
  }

  function queryRoot(requester: string): GqlObject {
    return {
      __typename: 'Query',
      repository: (args) => {
        const repo = repositories.get(`${String(args.owner)}/${String(args.name)}`.toLowerCase());
        if (!repo || !canRead(repo, requester)) throw new GqlError('NOT_FOUND', `Could not resolve to a Repository with the name '${String(args.owner)}/${String(args.name)}'.`);
        return {
          __typename: 'Repository',
          id: () => `R_kgDOfake${repo.id}`,
          name: () => repo.name,
          pullRequest: (pullArgs: Record<string, unknown>) => {
            const p = repo.pulls.get(Number(pullArgs.number));
            if (!p) throw new GqlError('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${String(pullArgs.number)}.`);
            return {
              __typename: 'PullRequest',
              id: () => p.nodeId,
              number: () => p.number,
              title: () => p.title,
              reviewThreads: (threadArgs: Record<string, unknown>) =>
                connection(
                  'PullRequestReviewThread',
                  'reviewThreads',
                  p.threads.filter((t) => !pendingFor(p, t.comments[0], requester)),
                  threadArgs,
                  (t) => threadNode(t, requester),
                ),
            };
          },
        };
      },
    };
  }

  function mutationRoot(requester: string): GqlObject {
    const resolve = (resolved: boolean) => (args: Record<string, unknown>) => {
      const input = (args.input ?? {}) as { threadId?: string; clientMutationId?: string };
      const t = typeof input.threadId === 'string' ? threads.get(input.threadId) : undefined;
      const repo = t ? repository(t.comments[0].owner, t.comments[0].repo) : undefined;
      if (!t || !repo || !canRead(repo, requester)) throw new GqlError('NOT_FOUND', `Could not resolve to a node with the global id of '${String(input.threadId)}'`);
      if (!canWrite(repo, requester)) throw new GqlError('FORBIDDEN', 'Resource not accessible by personal access token');
      setResolved(t, resolved, requester);
      posted.resolutions.push({ threadId: t.id, resolved });
      return { __typename: 'Payload', clientMutationId: () => input.clientMutationId ?? null, thread: () => threadNode(t, requester) };
    };
    return { __typename: 'Mutation', resolveReviewThread: resolve(true), unresolveReviewThread: resolve(false) };
  }

  function setResolved(t: FakeThread, resolved: boolean, by: string): void {
    t.isResolved = resolved;
    t.resolvedBy = resolved ? by : null;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  user(login);

  return {
    apiUrl,
    token,
    login,
    posted,
    repositories,
    users,
    get requests() {
      return state.requests;
    },
    get notModified() {
      return notModified;
    },
    get perPageMax() {
      return state.perPageMax;
    },
    set perPageMax(value: number) {
      state.perPageMax = value;
    },
    addToken: (extra, as) => {
      tokens.set(extra, as);
      user(as);
    },
    addUser: (loginName, userOptions = {}) => {
      const u = user(loginName);
      if (userOptions.type) u.type = userOptions.type;
      if (userOptions.association) u.association = userOptions.association;
      return u;
    },
    addRepository: (owner, name, repoOptions = {}) => {
      const repo: FakeRepository = {
        id: newId(),
        owner,
        name,
        private: repoOptions.private ?? repoOptions.readers !== undefined,
        readers: repoOptions.readers && new Set(repoOptions.readers),
        writers: repoOptions.writers && new Set(repoOptions.writers),
        pulls: new Map(),
      };
      user(owner);
      repositories.set(`${owner}/${name}`.toLowerCase(), repo);
      return repo;
    },
    addPull: (owner, name, input) => {
      const repo = repository(owner, name);
      const id = newId();
      const p: FakePull = {
        id,
        nodeId: `PR_kwDOfake${id}`,
        number: input.number,
        title: input.title ?? `Pull request ${input.number}`,
        body: input.body ?? null,
        state: input.state ?? 'open',
        merged: input.merged ?? false,
        draft: input.draft ?? false,
        user: user(input.user ?? login).login,
        head: { ref: input.head.ref, sha: input.head.sha, owner: input.head.owner ?? repo.owner },
        base: { ...input.base },
        createdAt: iso(),
        updatedAt: iso(),
        comments: [],
        reviews: [],
        threads: [],
        diffLines: new Map(),
      };
      user(p.head.owner);
      repo.pulls.set(p.number, p);
      return p;
    },
    pull,
    setDiffLines: (owner, name, number, path, lines, side = 'RIGHT') => {
      pull(owner, name, number).diffLines.set(`${side}:${path}`, [...lines].sort((a, b) => a - b));
    },
    addReviewComment: (owner, name, number, input) => {
      let reviewId = input.reviewId;
      if (reviewId === undefined) reviewId = createReview(owner, name, number, { body: '', state: 'COMMENTED', user: input.user, commitId: input.commitId }).id;
      return createComment(owner, name, number, { ...input, reviewId });
    },
    editReviewComment: (id, text) => {
      const c = comments.get(id);
      if (!c) throw new Error(`fakeGitHub: no comment ${id}`);
      editComment(c, text);
    },
    deleteReviewComment: (id) => {
      const c = comments.get(id);
      if (!c) throw new Error(`fakeGitHub: no comment ${id}`);
      comments.delete(id);
      const target = pull(c.owner, c.repo, c.pullNumber);
      target.comments.splice(target.comments.indexOf(c), 1);
      const thread = threads.get(c.threadId)!;
      thread.comments.splice(thread.comments.indexOf(c), 1);
      if (!thread.comments.length) {
        threads.delete(thread.id);
        target.threads.splice(target.threads.indexOf(thread), 1);
      }
    },
    comment: (id) => {
      const c = comments.get(id);
      if (!c) throw new Error(`fakeGitHub: no comment ${id}`);
      return c;
    },
    addReview: (owner, name, number, input) => createReview(owner, name, number, input),
    thread: threadOf,
    resolveThread: (ref, resolved, by) => setResolved(threadOf(ref), resolved, by ?? login),
    outdateThread: (ref) => {
      for (const c of threadOf(ref).comments) c.line = null;
    },
    rateLimit: (reset, rateOptions = {}) => {
      scriptedLimit = reset > 0 ? { reset, options: rateOptions } : undefined;
    },
    rateLimitState: (resource = 'core') => {
      const b = bucket(resource);
      return { limit, remaining: Math.max(0, limit - b.used), used: b.used, reset: b.reset };
    },
    failNext: (status, failureBody, headers) => void failures.push({ status, body: failureBody, headers }),
    misbehave: (behaviour, when = {}) => void misbehaviours.push({ behaviour, options: when, left: when.times ?? 1 }),
    calm: () => void misbehaviours.splice(0),
    checkRuns: (owner, name, headSha) =>
      checkRuns.filter((run) => run.owner.toLowerCase() === owner.toLowerCase() && run.repo.toLowerCase() === name.toLowerCase() && (headSha === undefined || run.headSha === headSha)),
    statuses: (owner, name, sha) =>
      commitStatuses.filter((status) => status.owner.toLowerCase() === owner.toLowerCase() && status.repo.toLowerCase() === name.toLowerCase() && (sha === undefined || status.sha === sha)),
    get checkRunsNeedApp() {
      return appSettings.checkRunsNeedApp;
    },
    set checkRunsNeedApp(value: boolean) {
      appSettings.checkRunsNeedApp = value;
    },
    get tokenLifetimeMs() {
      return appSettings.tokenLifetimeMs;
    },
    set tokenLifetimeMs(value: number) {
      appSettings.tokenLifetimeMs = value;
    },
    get installationTokens() {
      return [...installationTokens.values()];
    },
    addApp: (input = {}) => {
      const id = input.id ?? newId();
      const privateKeyPem = input.privateKeyPem
        ?? generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
      const app: FakeApp = { id, slug: input.slug ?? `diffwise-test-${id}`, privateKeyPem, publicKey: createPublicKey(createPrivateKey(privateKeyPem)) };
      apps.set(id, app);
      return app;
    },
    installApp: (appId, owner, repo) => {
      if (!apps.has(appId)) throw new Error(`fakeGitHub: no app ${appId}`);
      const existing = [...installations.values()].find((i) => i.appId === appId && i.account.toLowerCase() === owner.toLowerCase());
      const installation = existing ?? { id: newId(), appId, account: owner, repositories: repo === undefined ? undefined : new Set<string>() };
      if (repo !== undefined) installation.repositories?.add(`${owner}/${repo}`.toLowerCase());
      else installation.repositories = undefined;
      installations.set(installation.id, installation);
      user(owner);
      return installation.id;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function misbehave(behaviour: FakeMisbehaviour, res: http.ServerResponse, record: RecordedGitHubRequest): void {
  switch (behaviour.kind) {
    case 'hang':
      // Left open on purpose; close() destroys the socket.
      return;
    case 'close':
      res.socket?.destroy();
      return;
    case 'stall':
      record.status = behaviour.status ?? 200;
      res.writeHead(record.status, { 'content-type': behaviour.contentType ?? 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(behaviour.body) * 2 + 100) });
      res.write(behaviour.body);
      return;
    case 'raw':
      record.status = behaviour.status;
      res.writeHead(behaviour.status, { 'content-type': behaviour.contentType ?? 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(behaviour.body)), ...behaviour.headers });
      res.end(behaviour.body);
      return;
    case 'redirect':
      record.status = behaviour.status ?? 302;
      res.writeHead(record.status, { location: behaviour.location, 'content-length': '0' });
      res.end();
      return;
  }
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (tag: string): string => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(etag));
}

// ---- a selection-set reader for the GraphQL operations above ----

interface GqlField {
  alias: string;
  name: string;
  args: Record<string, GqlValue>;
  selections: GqlField[] | undefined;
  line: number;
  column: number;
}
type GqlValue = { variable: string } | { literal: unknown } | { object: Record<string, GqlValue> } | { list: GqlValue[] };
interface GqlDocument {
  operation: 'query' | 'mutation';
  selections: GqlField[];
}
/** A resolved object: each field a function of its arguments. */
type GqlObject = { __typename: string } & { [field: string]: string | ((args: Record<string, unknown>) => unknown) };

class GqlError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function parseGraphql(text: string): GqlDocument {
  const tokens: { value: string; line: number; column: number }[] = [];
  const pattern = /\s+|,|#[^\n]*|("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|([_A-Za-z][_0-9A-Za-z]*)|(\.\.\.|[{}():$!=[\]@])/gy;
  let match: RegExpExecArray | null;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    match = pattern.exec(text);
    if (!match) throw new Error(`Parse error on "${text.slice(index, index + 10)}"`);
    const value = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (value !== undefined) {
      const before = text.slice(0, index);
      tokens.push({ value, line: before.split('\n').length, column: index - before.lastIndexOf('\n') });
    }
    index = pattern.lastIndex;
  }
  let at = 0;
  const peek = (): string | undefined => tokens[at]?.value;
  const take = (expected?: string): string => {
    const token = tokens[at++];
    if (!token || (expected !== undefined && token.value !== expected)) throw new Error(`Parse error on "${token?.value ?? 'end of input'}"${expected ? `, expected "${expected}"` : ''}`);
    return token.value;
  };
  const value = (): GqlValue => {
    const token = take();
    if (token === '$') return { variable: take() };
    if (token === '{') {
      const object: Record<string, GqlValue> = {};
      while (peek() !== '}') {
        const key = take();
        take(':');
        object[key] = value();
      }
      take('}');
      return { object };
    }
    if (token === '[') {
      const list: GqlValue[] = [];
      while (peek() !== ']') list.push(value());
      take(']');
      return { list };
    }
    if (token.startsWith('"')) return { literal: JSON.parse(token) };
    if (/^-?\d/.test(token)) return { literal: Number(token) };
    return { literal: token === 'true' ? true : token === 'false' ? false : token === 'null' ? null : token };
  };
  const selectionSet = (): GqlField[] => {
    take('{');
    const fields: GqlField[] = [];
    while (peek() !== '}') {
      if (peek() === '...' || peek() === '@') throw new Error('Fragments and directives are not supported by the fake GitHub');
      const token = tokens[at];
      let name = take();
      const alias = name;
      if (peek() === ':') {
        take(':');
        name = take();
      }
      const args: Record<string, GqlValue> = {};
      if (peek() === '(') {
        take('(');
        while (peek() !== ')') {
          const key = take();
          take(':');
          args[key] = value();
        }
        take(')');
      }
      fields.push({ alias, name, args, selections: peek() === '{' ? selectionSet() : undefined, line: token.line, column: token.column });
    }
    take('}');
    return fields;
  };
  let operation: 'query' | 'mutation' = 'query';
  if (peek() === 'query' || peek() === 'mutation') {
    operation = take() as 'query' | 'mutation';
    if (peek() !== '(' && peek() !== '{') take();
    if (peek() === '(') {
      // Variable definitions: their types are not checked.
      let depth = 0;
      do {
        const token = take();
        if (token === '(') depth += 1;
        if (token === ')') depth -= 1;
      } while (depth > 0);
    }
  }
  const selections = selectionSet();
  if (at < tokens.length) throw new Error('Only one operation per document is supported by the fake GitHub');
  return { operation, selections };
}

function evaluate(value: GqlValue, variables: Record<string, unknown>): unknown {
  if ('variable' in value) return variables[value.variable];
  if ('literal' in value) return value.literal;
  if ('list' in value) return value.list.map((item) => evaluate(item, variables));
  return Object.fromEntries(Object.entries(value.object).map(([key, item]) => [key, evaluate(item, variables)]));
}

function resolveField(object: GqlObject, typeName: string, field: GqlField, variables: Record<string, unknown>, path: (string | number)[], errors: object[]): unknown {
  if (field.name === '__typename') return object.__typename;
  const resolver = object[field.name];
  const locations = [{ line: field.line, column: field.column }];
  if (typeof resolver !== 'function') {
    errors.push({ path, extensions: { code: 'undefinedField', typeName, fieldName: field.name }, locations, message: `Field '${field.name}' doesn't exist on type '${typeName}'` });
    return null;
  }
  const args = Object.fromEntries(Object.entries(field.args).map(([key, value]) => [key, evaluate(value, variables)]));
  let result: unknown;
  try {
    result = resolver(args);
  } catch (error) {
    if (!(error instanceof GqlError)) throw error;
    errors.push({ type: error.type, path, locations, message: error.message });
    return null;
  }
  return shape(result, field, variables, path, errors);
}

function shape(result: unknown, field: GqlField, variables: Record<string, unknown>, path: (string | number)[], errors: object[]): unknown {
  if (result === null || result === undefined) return null;
  if (Array.isArray(result)) return result.map((item, i) => shape(item, field, variables, [...path, i], errors));
  if (typeof result === 'object' && '__typename' in result) {
    const object = result as GqlObject;
    const out: Record<string, unknown> = {};
    for (const child of field.selections ?? []) out[child.alias] = resolveField(object, object.__typename, child, variables, [...path, child.alias], errors);
    return out;
  }
  return result;
}

/**
 * The parts of GitHub's REST and GraphQL answers that Diffwise keeps, as GitHub
 * documents them ("REST API endpoints for pull request review comments",
 * "… for pull request reviews", "… for pulls", "… for check runs", "… for reactions",
 * "… for GitHub Apps"; GraphQL `PullRequestReviewThread`),
 * and the schemas every answer is checked against before it is used or stored:
 * the fields Diffwise reads, with their documented types. Other fields pass
 * and are dropped.
 */
import { z } from 'zod';
import { lazySchema } from '../lazySchema';

export interface RestPull {
  number: number;
  title: string;
  html_url: string;
  state: string;
  user: { login: string } | null;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
}

export interface RestReviewComment {
  id: number;
  node_id: string;
  pull_request_review_id: number | null;
  path: string;
  /** The line at `commit_id`; null when the comment is outdated there. */
  line: number | null;
  start_line: number | null;
  side: 'LEFT' | 'RIGHT' | null;
  original_line: number | null;
  commit_id: string;
  original_commit_id: string;
  in_reply_to_id?: number;
  user: { login: string } | null;
  body: string;
  created_at: string;
  updated_at: string;
  html_url: string;
  /** The lines of the diff up to the commented one: the code a team vote was cast on. */
  diff_hunk?: string;
}

export interface RestReview {
  id: number;
  user: { login: string } | null;
  body: string | null;
  state: string;
  submitted_at?: string | null;
}

export interface ReviewThread {
  id: string;
  isResolved: boolean;
  commentIds: number[];
}

/** The `check-run` schema's fields Diffwise reads (REST "Check runs"). */
export interface RestCheckRun {
  id: number;
  head_sha: string;
  name: string;
  status: string;
  conclusion: string | null;
  html_url: string | null;
  started_at: string | null;
  completed_at: string | null;
}

/** A reaction (`reaction` schema): who put which emoji, when. */
export interface RestReaction {
  id: number;
  user: { login: string; type?: string } | null;
  content: string;
  created_at: string;
}

/**
 * Only what is kept: a stored comment does not carry avatars, reactions or URLs of
 * other resources. The diff hunk is kept on Diffwise's own comments only (those with
 * its finding marker): it is the code a team vote on them was cast on, and
 * nobody else's hunks are worth the space.
 */
export function trimComment(comment: RestReviewComment): RestReviewComment {
  const { id, node_id, pull_request_review_id, path, line, start_line, side, original_line, commit_id, original_commit_id, in_reply_to_id, user, body, created_at, updated_at, html_url, diff_hunk } = comment;
  return {
    id, node_id, pull_request_review_id: pull_request_review_id ?? null, path, line: line ?? null, start_line: start_line ?? null, side: side ?? null,
    original_line: original_line ?? null, commit_id, original_commit_id, ...(in_reply_to_id !== undefined ? { in_reply_to_id } : {}),
    user: user ? { login: user.login } : null, body, created_at, updated_at, html_url,
    ...(diff_hunk !== undefined && body.includes('<!-- diffwise:finding=') ? { diff_hunk } : {}),
  };
}

/** The schemas of GitHub's REST answers, built together on first use (server/lazySchema.ts). */
const restSchemas = lazySchema(() => {
  const user = z.object({ login: z.string() }).nullable();
  const ref = z.object({ ref: z.string(), sha: z.string() });
  /** Absent and null mean the same in the fields GitHub leaves out when empty. */
  const nullish = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? null);
  const pull: z.ZodType<RestPull> = z.object({
    number: z.number().int(),
    title: z.string(),
    html_url: z.string(),
    state: z.string(),
    user,
    head: ref,
    base: ref,
  });
  const reviewComment: z.ZodType<RestReviewComment> = z.object({
    id: z.number().int(),
    node_id: z.string(),
    pull_request_review_id: nullish(z.number().int()),
    path: z.string(),
    line: nullish(z.number().int()),
    start_line: nullish(z.number().int()),
    side: nullish(z.enum(['LEFT', 'RIGHT'])),
    original_line: nullish(z.number().int()),
    commit_id: z.string(),
    original_commit_id: z.string(),
    in_reply_to_id: z.number().int().optional(),
    user,
    body: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    html_url: z.string(),
    diff_hunk: z.string().optional(),
  });
  const review: z.ZodType<RestReview> = z.object({
    id: z.number().int(),
    user,
    body: nullish(z.string()),
    state: z.string(),
    submitted_at: nullish(z.string()),
  });
  const checkRun: z.ZodType<RestCheckRun> = z.object({
    id: z.number().int(),
    head_sha: z.string(),
    name: z.string(),
    status: z.string(),
    conclusion: nullish(z.string()),
    html_url: nullish(z.string()),
    started_at: nullish(z.string()),
    completed_at: nullish(z.string()),
  });
  const reaction: z.ZodType<RestReaction> = z.object({
    id: z.number().int(),
    user: z.object({ login: z.string(), type: z.string().optional() }).nullable(),
    content: z.string(),
    created_at: z.string(),
  });
  return {
    pull, pullList: z.array(pull), reviewComment, reviewCommentList: z.array(reviewComment), review, reviewList: z.array(review),
    /** What `POST /repos/{o}/{r}/pulls/{n}/reviews` answers, as far as it is read. */
    createdReview: z.object({ html_url: z.string() }),
    checkRun,
    /** `GET /repos/{o}/{r}/commits/{ref}/check-runs`. */
    checkRunList: z.object({ total_count: z.number().int(), check_runs: z.array(checkRun) }),
    reaction,
    reactionList: z.array(reaction),
    /** `POST /app/installations/{id}/access_tokens` (201), as far as it is read. */
    installationToken: z.object({ token: z.string().min(1), expires_at: z.string() }),
    /** `GET /repos/{o}/{r}/installation`. */
    installation: z.object({ id: z.number().int() }),
  };
});

export const restPullSchema = (): z.ZodType<RestPull> => restSchemas().pull;
export const restPullListSchema = () => restSchemas().pullList;
export const restReviewCommentSchema = (): z.ZodType<RestReviewComment> => restSchemas().reviewComment;
export const restReviewCommentListSchema = () => restSchemas().reviewCommentList;
export const restReviewSchema = (): z.ZodType<RestReview> => restSchemas().review;
export const restReviewListSchema = () => restSchemas().reviewList;
export const createdReviewSchema = () => restSchemas().createdReview;
export const restCheckRunSchema = (): z.ZodType<RestCheckRun> => restSchemas().checkRun;
export const restCheckRunListSchema = () => restSchemas().checkRunList;
export const restReactionSchema = (): z.ZodType<RestReaction> => restSchemas().reaction;
export const restReactionListSchema = () => restSchemas().reactionList;
export const installationTokenSchema = () => restSchemas().installationToken;
export const installationSchema = () => restSchemas().installation;

/**
 * The parts of GitHub's REST and GraphQL answers that Diffwise keeps, as GitHub
 * documents them ("REST API endpoints for pull request review comments",
 * "… for pull request reviews", "… for pulls"; GraphQL `PullRequestReviewThread`),
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

/** Only what is kept: a stored comment does not carry avatars, reactions or URLs of other resources. */
export function trimComment(comment: RestReviewComment): RestReviewComment {
  const { id, node_id, pull_request_review_id, path, line, start_line, side, original_line, commit_id, original_commit_id, in_reply_to_id, user, body, created_at, updated_at, html_url } = comment;
  return {
    id, node_id, pull_request_review_id: pull_request_review_id ?? null, path, line: line ?? null, start_line: start_line ?? null, side: side ?? null,
    original_line: original_line ?? null, commit_id, original_commit_id, ...(in_reply_to_id !== undefined ? { in_reply_to_id } : {}),
    user: user ? { login: user.login } : null, body, created_at, updated_at, html_url,
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
  });
  const review: z.ZodType<RestReview> = z.object({
    id: z.number().int(),
    user,
    body: nullish(z.string()),
    state: z.string(),
    submitted_at: nullish(z.string()),
  });
  return {
    pull, pullList: z.array(pull), reviewComment, reviewCommentList: z.array(reviewComment), review, reviewList: z.array(review),
    /** What `POST /repos/{o}/{r}/pulls/{n}/reviews` answers, as far as it is read. */
    createdReview: z.object({ html_url: z.string() }),
  };
});

export const restPullSchema = (): z.ZodType<RestPull> => restSchemas().pull;
export const restPullListSchema = () => restSchemas().pullList;
export const restReviewCommentSchema = (): z.ZodType<RestReviewComment> => restSchemas().reviewComment;
export const restReviewCommentListSchema = () => restSchemas().reviewCommentList;
export const restReviewSchema = (): z.ZodType<RestReview> => restSchemas().review;
export const restReviewListSchema = () => restSchemas().reviewList;
export const createdReviewSchema = () => restSchemas().createdReview;

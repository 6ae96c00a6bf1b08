/**
 * The parts of GitHub's REST and GraphQL answers that Diffwise keeps, as GitHub
 * documents them ("REST API endpoints for pull request review comments",
 * "… for pull request reviews", "… for pulls"; GraphQL `PullRequestReviewThread`).
 */

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

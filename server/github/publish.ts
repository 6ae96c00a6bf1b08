/**
 * Posting a review's findings to the pull request as one review, the way
 * reviewdog's github-pr-review reporter does: a line comment per finding on a
 * line the pull request adds, the others listed in the review's body, and each
 * carrying a hidden fingerprint (`<!-- diffwise:finding=ID -->`) so that
 * publishing again edits a changed finding's comment and skips an unchanged
 * one instead of posting it twice.
 */
import type { PrPublishResult, PullRequestInfo } from '../../shared/github';
import type { Finding } from '../../shared/review';
import type { RestReview, RestReviewComment } from './restTypes';

const FINDING_MARKER = /<!-- diffwise:finding=([0-9a-f]{16}) -->/;
const OUTSIDE_MARKER = /<!-- diffwise:outside=([0-9a-f]{16}) -->/g;

export interface PublishPlan {
  /** New line comments for one review. */
  comments: Array<{ path: string; line: number; side: 'RIGHT'; body: string; findingId: string }>;
  /** Existing comments whose finding changed: their new body. */
  edits: Array<{ commentId: number; body: string }>;
  /** Findings outside the diff not yet listed in an earlier review's body. */
  outside: Finding[];
  skipped: number;
}

/**
 * What to post. `commentable` says whether a line of a file is one the pull
 * request adds (GitHub accepts comments only inside its diff).
 */
export function planPublication(
  findings: readonly Finding[],
  commentable: (path: string, line: number) => boolean,
  existingComments: readonly RestReviewComment[],
  existingReviews: readonly RestReview[],
): PublishPlan {
  const posted = new Map<string, RestReviewComment>();
  for (const comment of existingComments) {
    const match = FINDING_MARKER.exec(comment.body);
    if (match) posted.set(match[1], comment);
  }
  const listed = new Set<string>();
  for (const review of existingReviews) for (const match of (review.body ?? '').matchAll(OUTSIDE_MARKER)) listed.add(match[1]);

  const plan: PublishPlan = { comments: [], edits: [], outside: [], skipped: 0 };
  for (const finding of findings) {
    const body = commentBody(finding);
    const earlier = posted.get(finding.id);
    if (earlier) {
      if (earlier.body.trim() === body.trim()) plan.skipped++;
      else plan.edits.push({ commentId: earlier.id, body });
    } else if (commentable(finding.file, finding.line)) {
      plan.comments.push({ path: finding.file, line: finding.line, side: 'RIGHT', body, findingId: finding.id });
    } else if (listed.has(finding.id)) {
      plan.skipped++;
    } else {
      plan.outside.push(finding);
    }
  }
  return plan;
}

export function commentBody(finding: Finding): string {
  const lines = [`**Diffwise · ${finding.ruleId}** (${finding.severity})`, '', finding.message];
  // GitHub applies a suggestion to the commented line: only a one-line finding's fix can be one.
  if (finding.suggestion !== null && finding.line === finding.endLine) lines.push('', '```suggestion', finding.suggestion.replace(/\n$/, ''), '```');
  for (const place of finding.related.slice(0, 10)) lines.push(`- ${place.file}:${place.line} ${place.message}`);
  lines.push('', `<!-- diffwise:finding=${finding.id} -->`);
  return lines.join('\n');
}

export function reviewBody(plan: PublishPlan, total: number): string {
  const lines = [`**Diffwise** found ${total} problem${total === 1 ? '' : 's'} in this pull request.`];
  if (plan.outside.length) {
    lines.push('', 'On lines outside the diff:');
    for (const finding of plan.outside) {
      lines.push(`- \`${finding.file}:${finding.line}\` **${finding.ruleId}** (${finding.severity}): ${finding.message} <!-- diffwise:outside=${finding.id} -->`);
    }
  }
  return lines.join('\n');
}

export function publishResult(pull: PullRequestInfo, plan: PublishPlan, reviewUrl: string | null, suppressed: number, dryRun: boolean): PrPublishResult {
  return { pull, reviewUrl, posted: plan.comments.length, updated: plan.edits.length, skipped: plan.skipped, outsideDiff: plan.outside.length, suppressed, dryRun };
}

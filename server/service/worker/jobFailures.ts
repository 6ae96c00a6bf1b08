/**
 * Which failures of a review job a retry can mend. The network, GitHub's 5xx and rate
 * limits, a git fetch and the database are transient: the job is thrown back to the queue,
 * which retries it with backoff. A repository GitHub says is not there or not ours (404,
 * 403, 401), or an answer it refuses (422), stays so: retrying only spends attempts.
 */
import { HeadNotFoundError } from './cloneCache';

/** Statuses no retry changes. */
const PERMANENT_STATUSES = new Set([401, 403, 404, 410, 422]);

/** How the one-line GitHub errors (github/client.ts describeGitHubError) say a permanent status. */
const PERMANENT_MESSAGES = /rejected the token \(401|cannot do this on .* \(403|was not found on|GitHub answered (?:401|403|404|410|422)\b/;

export function isPermanentFailure(error: unknown): boolean {
  if (error instanceof HeadNotFoundError) return true;
  const status = (error as { status?: unknown })?.status ?? (error as { response?: { status?: unknown } })?.response?.status;
  if (typeof status === 'number') {
    // A rate limit is said with a 403 or a 429: it ends at its reset.
    if (isRateLimit(error)) return false;
    return PERMANENT_STATUSES.has(status);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/rate limit/i.test(message)) return false;
  return PERMANENT_MESSAGES.test(message);
}

function isRateLimit(error: unknown): boolean {
  const headers = (error as { response?: { headers?: Record<string, string> } })?.response?.headers ?? {};
  const message = error instanceof Error ? error.message : '';
  return headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined || /rate limit/i.test(message);
}

/** The failure as the check run and the review row say it: one line, at most 300 characters. */
export function oneLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim() || 'unknown error';
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

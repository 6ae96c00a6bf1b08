/**
 * The error every GitHub failure ends as, in a file of its own so that the
 * transport, the answer checks and the client can all throw it.
 */

/** A GitHub problem the user can act on; the message is one line and never holds the token. */
export class GitHubError extends Error {
  override name = 'GitHubError';
}

/**
 * A failure the transport decided no retry can mend (a timeout, the deadline, a
 * redirect loop, an unknown host). Named AbortError because that is the one
 * error octokit's request rethrows as it is: any other it wraps in a
 * RequestError with status 500, which the retry plugin retries.
 */
export class FinalRequestError extends Error {
  override name = 'AbortError';
}

/** Token-shaped strings GitHub issues, in case an answer echoes one. */
const TOKEN_PATTERN = /\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})\b/g;

/** `text` on one line, at most `max` characters, with anything token-shaped masked. */
export function excerpt(text: string, max = 60): string {
  const line = text.replace(TOKEN_PATTERN, '***').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/**
 * A 403 that refuses the token a permission, not a rate limit (GitHub answers those with a
 * 403 too, and they end at their reset): what the check-run and commit-status writers take as
 * "this token may not", so that the review goes on without that gate.
 */
export function isPermissionRefusal(error: unknown): boolean {
  const response = (error as { status?: number; response?: { headers?: Record<string, string>; data?: { message?: unknown } } }).response;
  if ((error as { status?: number }).status !== 403 || !response) return false;
  const headers = response.headers ?? {};
  const message = typeof response.data?.message === 'string' ? response.data.message : '';
  return headers['x-ratelimit-remaining'] !== '0' && headers['retry-after'] === undefined && !/rate limit/i.test(message);
}

/** What GitHub said with a refusal, as ` <its message>` for a one-line error (empty when it said nothing). */
export function refusalWords(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown } } }).response?.data;
  return typeof data?.message === 'string' ? ` ${excerpt(data.message, 120)}` : '';
}

/** `1500` → `1.5 s`, `300` → `300 ms`: how a timeout is shown. */
export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

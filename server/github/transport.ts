/**
 * How every GitHub request travels: octokit's `request.fetch`, wrapped so that
 * no request waits longer than a timeout (headers and body alike: a server that
 * sends its headers and then stalls is as stuck as one that never answers),
 * no operation longer than a deadline (its requests and octokit's retry waits
 * together), and a failure of the network says in one line what failed where.
 */
import { duration, FinalRequestError, GitHubError } from './errors';
import { withSpan, type ActiveSpan } from '../observability/trace';
import type { RateLimitState } from './client';

/** One request, from sending to the last byte of the answer. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** One operation: a whole `pr sync`, or the posting phase of `pr publish`. */
export const DEFAULT_DEADLINE_MS = 120_000;

export interface GitHubTimeouts {
  requestMs: number;
  deadlineMs: number;
}

/**
 * The timeouts, from DIFFWISE_GITHUB_TIMEOUT_MS and DIFFWISE_GITHUB_DEADLINE_MS
 * (for a slow GitHub Enterprise Server or a slow link); a value that is not a
 * positive whole number is an error rather than silently ignored.
 */
export function githubTimeouts(env: NodeJS.ProcessEnv): GitHubTimeouts {
  return {
    requestMs: milliseconds(env, 'DIFFWISE_GITHUB_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS),
    deadlineMs: milliseconds(env, 'DIFFWISE_GITHUB_DEADLINE_MS', DEFAULT_DEADLINE_MS),
  };
}

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new GitHubError(`${name} must be a whole number of milliseconds above 0 (got ${JSON.stringify(raw.slice(0, 20))})`);
  return value;
}

/** The time one operation may take in all; `restart` starts the clock for the next one. */
export class Deadline {
  private signal: AbortSignal;

  constructor(readonly ms: number) {
    this.signal = AbortSignal.timeout(ms);
  }

  restart(): void {
    this.signal = AbortSignal.timeout(this.ms);
  }

  get current(): AbortSignal {
    return this.signal;
  }
}

/**
 * A request as the user reads it, relative to the API's base URL and with only
 * its first query parameter: `GET /repos/o/r/pulls?head=o:feature&…`.
 */
export function endpointOf(method: string, url: string, apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  let shown = url;
  try {
    const parsed = new URL(url.startsWith('/') ? `${base}${url}` : url);
    const root = new URL(base);
    const rootPath = root.pathname.replace(/\/+$/, '');
    let where = parsed.pathname;
    if (parsed.origin !== root.origin) where = `${parsed.origin}${where}`;
    else if (rootPath && where.startsWith(`${rootPath}/`)) where = where.slice(rootPath.length);
    const params = [...parsed.searchParams];
    const query = params.length ? `?${params[0][0]}=${params[0][1]}${params.length > 1 ? '&…' : ''}` : '';
    shown = `${where}${query}`;
  } catch {
    // Not a URL: shown as it is.
  }
  return `${method.toUpperCase()} ${shown}`;
}

/**
 * octokit's `request.fetch`: the global fetch with the timeout and the deadline,
 * reading the whole body under both before octokit sees the answer (octokit
 * reads it later with no timeout, and would take a body cut short for an empty one).
 */
export function timedFetch(timeouts: GitHubTimeouts, deadline: Deadline, apiUrl: string, onRateLimit?: (state: RateLimitState, resource: string) => void): typeof fetch {
  return (input, init = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init.method ?? 'GET').toUpperCase();
    // One span per request (inside a review; nothing outside one), its path without the query: a query may carry a secret.
    return withSpan('github.request', (span) => timedRequest(input, init, url, method, span), { 'http.request.method': method, 'url.path': pathOf(url, apiUrl) });
  };

  /** Every answer's rate limit, for the alert on a nearly used-up one; remembering it never fails the request. */
  function rememberRateLimit(headers: Headers): void {
    const limit = Number.parseInt(headers.get('x-ratelimit-limit') ?? '', 10);
    const remaining = Number.parseInt(headers.get('x-ratelimit-remaining') ?? '', 10);
    const reset = Number.parseInt(headers.get('x-ratelimit-reset') ?? '', 10);
    if (!onRateLimit || [limit, remaining, reset].some(Number.isNaN)) return;
    try {
      // Each bucket (core, graphql, search) is counted apart: the last answer of one says nothing of another.
      onRateLimit({ remaining, limit, resetAt: new Date(reset * 1000).toISOString() }, headers.get('x-ratelimit-resource') ?? 'core');
    } catch {
      // A database that cannot take it (read-only, full) costs the alert one reading.
    }
  }

  async function timedRequest(input: Parameters<typeof fetch>[0], init: RequestInit, url: string, method: string, span: ActiveSpan): Promise<Response> {
    const endpoint = endpointOf(method, url, apiUrl);
    const overall = deadline.current;
    const overdue = () => new FinalRequestError(`GitHub took longer than the ${duration(deadline.ms)} one operation may take, at ${endpoint} (DIFFWISE_GITHUB_DEADLINE_MS raises it)`);
    if (overall.aborted) throw overdue();
    const timer = AbortSignal.timeout(timeouts.requestMs);
    const signal = AbortSignal.any(init.signal ? [timer, overall, init.signal] : [timer, overall]);
    let answered = false;
    try {
      const response = await fetch(input, { ...init, signal });
      answered = true;
      const remaining = Number.parseInt(response.headers.get('x-ratelimit-remaining') ?? '', 10);
      span.setAttributes({ 'http.response.status_code': response.status, 'github.rate_limit.remaining': Number.isNaN(remaining) ? undefined : remaining });
      rememberRateLimit(response.headers);
      const empty = response.status === 204 || response.status === 205 || response.status === 304 || method === 'HEAD';
      const body = empty ? null : await response.arrayBuffer();
      const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
      Object.defineProperty(copy, 'url', { value: response.url });
      return copy;
    } catch (error) {
      if (init.signal?.aborted) throw error;
      if (overall.aborted) throw overdue();
      if (timer.aborted) {
        throw new FinalRequestError(answered
          ? `GitHub began answering ${endpoint} but did not finish within ${duration(timeouts.requestMs)} (DIFFWISE_GITHUB_TIMEOUT_MS raises it)`
          : `GitHub did not answer ${endpoint} within ${duration(timeouts.requestMs)} (DIFFWISE_GITHUB_TIMEOUT_MS raises it)`);
      }
      throw networkFailure(error, url, apiUrl, endpoint, answered);
    }
  }
}

/** A request's path as OpenTelemetry's `url.path`: no origin, no query. */
function pathOf(url: string, apiUrl: string): string {
  try {
    return new URL(url.startsWith('/') ? `${apiUrl.replace(/\/+$/, '')}${url}` : url).pathname;
  } catch {
    return url.split('?')[0];
  }
}

/** TLS failures as undici and OpenSSL name them. */
const TLS_CODES = /^(?:CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_)/;

/**
 * What a failed fetch means, as one line naming the host. A GitHubError is
 * retried by octokit (it wraps it, and the retry plugin retries a wrapped
 * error); a FinalRequestError is not: an unknown host, an untrusted
 * certificate or a redirect loop will not mend in the next five seconds.
 */
function networkFailure(error: unknown, url: string, apiUrl: string, endpoint: string, answered: boolean): Error {
  const cause = rootCause(error);
  const code = (cause as NodeJS.ErrnoException).code ?? '';
  const detail = (cause.message || String(error)).split('\n')[0];
  let host = url;
  try {
    host = new URL(url.startsWith('/') ? `${apiUrl}${url}` : url).host;
  } catch {
    // Not a URL: named as it is.
  }
  if (/redirect count exceeded/i.test(`${(error as Error).message} ${detail}`)) {
    return new FinalRequestError(`GitHub's answer to ${endpoint} redirects in a loop (more than 20 redirects): check DIFFWISE_GITHUB_API_URL or diffwise.github.apiUrl`);
  }
  if (code === 'ENOTFOUND') return new FinalRequestError(`cannot reach GitHub: the host ${host} is not known (DNS lookup failed for ${endpoint})`);
  if (TLS_CODES.test(code)) return new FinalRequestError(`cannot reach GitHub at ${host}: its TLS certificate is not accepted (${code}: ${detail})`);
  if (code === 'ECONNREFUSED') return new GitHubError(`cannot reach GitHub at ${host}: the connection was refused (${endpoint})`);
  if (answered || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return new GitHubError(`GitHub closed the connection ${answered ? 'before its answer to' : 'during'} ${endpoint}${answered ? ' was complete' : ''} (${code || detail})`);
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return new GitHubError(`cannot reach GitHub at ${host}: the connection timed out (${endpoint})`);
  return new GitHubError(`cannot reach GitHub at ${host} (${endpoint}): ${code ? `${code} ` : ''}${detail}`);
}

function rootCause(error: unknown): Error {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause instanceof Error; depth++) current = current.cause;
  return current instanceof Error ? current : new Error(String(current));
}

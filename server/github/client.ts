/**
 * The GitHub client: octokit with its retry plugin (5xx, network errors) and its
 * throttling plugin (GitHub's documented rate limits and the pacing of writes),
 * every request under a timeout and every operation under a deadline
 * (transport.ts), conditional GETs that remember each URL's ETag and body (a
 * 304 is free against the rate limit), every answer checked against the shape
 * its API documents before it is used (answers.ts), and one-line errors a user
 * can act on.
 */
import { createHash } from 'node:crypto';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { z } from 'zod';
import type { PrStore } from '../store/prStore';
import { checkAnswer, describeText } from './answers';
import { excerpt, FinalRequestError, GitHubError } from './errors';
import { redactUrl, type GitHubRepository } from './remote';
import { Deadline, endpointOf, timedFetch, type GitHubTimeouts } from './transport';

export { GitHubError } from './errors';

/** Octokit with both plugins, made on first use: octokit is loaded only by the commands that talk to GitHub (issue 14). */
const withPlugins = () => Octokit.plugin(retry, throttling);
let DiffwiseOctokit: ReturnType<typeof withPlugins> | undefined;
export type GitHubOctokit = InstanceType<ReturnType<typeof withPlugins>>;

/** Where to find the token: GITHUB_TOKEN, then GH_TOKEN (the GitHub CLI's). */
export function tokenFrom(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim() || undefined;
}

/** A client for one operation; `deadline.restart()` before each further one. */
export interface GitHubClient {
  octokit: GitHubOctokit;
  deadline: Deadline;
}

export function createOctokit(repository: GitHubRepository, token: string | undefined, timeouts: GitHubTimeouts, onRateLimit?: (state: RateLimitState, resource: string) => void): GitHubClient {
  const deadline = new Deadline(timeouts.deadlineMs);
  DiffwiseOctokit ??= withPlugins();
  const octokit = new DiffwiseOctokit({
    auth: token,
    baseUrl: repository.apiUrl,
    userAgent: 'diffwise',
    request: { fetch: timedFetch(timeouts, deadline, repository.apiUrl, onRateLimit) },
    // Two retries of a 5xx or a dropped connection, after 1 s and 4 s: a review tool should not hang.
    retry: { retries: 2 },
    throttle: {
      // GitHub asks for writes one at a time, a second apart (3 s for those that notify), per
      // user or app installation: paced per token, not per process, so that a worker serving
      // several installations does not pace them all as one.
      id: `diffwise-${createHash('sha256').update(`${repository.apiUrl}\u0000${token ?? ''}`).digest('hex').slice(0, 16)}`,
      // The primary limit: fail at once with the reset time rather than block the editor for up to an hour.
      onRateLimit: () => false,
      // A secondary limit asks for a short pause: honour it once when it is short.
      onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount === 0 && retryAfter <= 30,
    },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  return { octokit, deadline };
}

/** The API's base URL the client was made for, to name requests relative to it. */
function apiUrlOf(octokit: GitHubOctokit): string {
  return String(octokit.request.endpoint.DEFAULTS.baseUrl);
}

/** The endpoint of a request made with `octokit`, as messages name it. */
export function endpointFor(octokit: GitHubOctokit, method: string, url: string): string {
  return endpointOf(method, url, apiUrlOf(octokit));
}

/** What GitHub said about the rate limit in its last answer. */
export interface RateLimitState {
  remaining: number;
  limit: number;
  resetAt: string;
}

/** Counts requests and 304s, and remembers the last rate-limit headers, for one sync. */
export class RequestLedger {
  requests = 0;
  notModified = 0;
  rateLimit: RateLimitState | null = null;

  observe(headers: Record<string, string | number | undefined>): void {
    const remaining = Number(headers['x-ratelimit-remaining']);
    const limit = Number(headers['x-ratelimit-limit']);
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(remaining) && Number.isFinite(limit) && Number.isFinite(reset) && headers['x-ratelimit-limit'] !== undefined) {
      this.rateLimit = { remaining, limit, resetAt: new Date(reset * 1000).toISOString() };
    }
  }
}

/**
 * GETs every page of a list, each page conditionally: a page whose ETag still
 * matches answers 304 and its stored body stands in for it. Pages are followed
 * through the Link header's `rel="next"`, as GitHub documents pagination.
 */
export async function getAllPages<T>(octokit: GitHubOctokit, store: PrStore, ledger: RequestLedger, firstUrl: string, item: z.ZodType<T>, expected: string): Promise<T[]> {
  const items: T[] = [];
  const list = z.array(item);
  let url: string | undefined = firstUrl;
  for (let page = 0; url && page < 100; page++) {
    const answer: { value: T[]; link: string | null } = await conditionalGet(octokit, store, ledger, url, list, expected);
    items.push(...answer.value);
    url = nextPage(answer.link);
  }
  return items;
}

/**
 * A conditional GET whose answer (fresh, or the stored body a 304 stands for)
 * is checked against `schema`; only an answer that passes is stored, so a
 * broken one can never come back as a 304's body.
 */
export async function conditionalGet<T>(
  octokit: GitHubOctokit, store: PrStore, ledger: RequestLedger, url: string, schema: z.ZodType<T>, expected: string,
): Promise<{ value: T; link: string | null; fresh: boolean }> {
  const known = store.validator(url);
  const endpoint = endpointFor(octokit, 'GET', url);
  ledger.requests++;
  try {
    const response = await octokit.request(`GET ${url}`, { headers: known ? { 'if-none-match': known.etag } : {} });
    ledger.observe(response.headers as Record<string, string | number | undefined>);
    const value = checkAnswer(schema, response.data, { endpoint, status: response.status }, expected);
    const link = (response.headers.link as string | undefined) ?? null;
    const etag = response.headers.etag as string | undefined;
    if (etag) store.saveValidator(url, { etag, body: JSON.stringify(response.data), link });
    return { value, link, fresh: true };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 304 && known) {
      ledger.notModified++;
      ledger.observe(((error as { response?: { headers?: Record<string, string> } }).response?.headers ?? {}));
      return { value: checkAnswer(schema, parseStored(known.body), { endpoint, status }, expected), link: known.link, fresh: false };
    }
    throw error;
  }
}

function parseStored(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/**
 * One GraphQL request, its `errors` and its `data` checked: GitHub answers 200
 * with `errors` for an unknown thread or a missing permission, and a proxy may
 * answer anything at all.
 */
export async function graphqlQuery<T>(
  octokit: GitHubOctokit, repository: GitHubRepository, query: string, variables: Record<string, unknown>, data: z.ZodType<T>, expected: string,
): Promise<T> {
  const response = await octokit.request(`POST ${repository.graphqlUrl}`, { query, variables });
  const endpoint = endpointFor(octokit, 'POST', repository.graphqlUrl);
  const body = response.data as unknown;
  const errors = body !== null && typeof body === 'object' ? (body as { errors?: unknown }).errors : undefined;
  if (Array.isArray(errors) && errors.length) {
    const first = errors[0] as { message?: unknown; type?: unknown };
    const message = typeof first?.message === 'string' ? excerpt(first.message, 200) : excerpt(JSON.stringify(first), 200);
    throw new GitHubError(`GitHub: ${message}${typeof first?.type === 'string' ? ` (${first.type})` : ''} (${endpoint})`);
  }
  return checkAnswer(z.object({ data }), body, { endpoint, status: response.status }, expected).data;
}

function nextPage(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * The one line a user sees for a failed GitHub request: bad credentials, no
 * access, rate limited (until when), no answer in time, or what GitHub said to
 * which request.
 */
export function describeGitHubError(error: unknown, repository: GitHubRepository, hasToken: boolean): GitHubError {
  if (error instanceof GitHubError) return error;
  if (error instanceof FinalRequestError) return new GitHubError(error.message);
  // A failure of the transport, wrapped by octokit in a RequestError (and retried).
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof GitHubError) return cause;
  if (cause instanceof FinalRequestError) return new GitHubError(cause.message);

  const request = (error as { request?: { method?: string; url?: string } }).request;
  const endpoint = request?.method && request.url ? endpointOf(request.method, request.url, repository.apiUrl) : undefined;
  const response = (error as { response?: { status?: number; headers?: Record<string, string>; data?: unknown } }).response;
  const status = (error as { status?: number }).status ?? response?.status;
  const headers = response?.headers ?? {};
  const data = response?.data;
  const documented = data !== null && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string' ? (data as { message: string }).message : undefined;
  const message = excerpt(documented ?? (typeof data === 'string' ? describeText(data) : (error as Error).message ?? String(error)), 200);
  const where = `${repository.owner}/${repository.repo}`;
  if (status === 401) return new GitHubError(`GitHub rejected the token (401 ${message}): set GITHUB_TOKEN to a valid token`);
  if (status !== 401 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message))) {
    const reset = Number(headers['x-ratelimit-reset']);
    const retryAfter = Number(headers['retry-after']);
    const when = Number.isFinite(reset) && reset > 0
      ? `until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC (in ${Math.max(1, Math.ceil((reset * 1000 - Date.now()) / 60_000))} min)`
      : Number.isFinite(retryAfter) ? `for ${retryAfter} s` : 'for a while';
    return new GitHubError(`GitHub's rate limit is used up ${when}${hasToken ? '' : '; an unauthenticated client gets only 60 requests an hour: set GITHUB_TOKEN'}`);
  }
  if (status === 403) return new GitHubError(`the token cannot do this on ${where} (403 ${message}): it needs access to the repository's pull requests`);
  if (status === 404) {
    return new GitHubError(`${where} was not found on ${redactUrl(repository.apiUrl)}${hasToken ? ', or the token cannot read it' : ': if it is private, set GITHUB_TOKEN'}`);
  }
  if (status !== undefined && response) {
    // A proxy's error page says nothing documented: what came back says more than octokit's message.
    const said = documented === undefined && typeof data === 'string' ? describeText(data) : message;
    return new GitHubError(`GitHub answered ${status}${endpoint ? ` to ${endpoint}` : ''}: ${said}`);
  }
  return new GitHubError(`cannot reach GitHub at ${redactUrl(repository.apiUrl)}${endpoint ? ` (${endpoint})` : ''}: ${message}`);
}

/**
 * The GitHub client: octokit with its retry plugin (5xx, network errors) and its
 * throttling plugin (GitHub's documented rate limits and the pacing of writes),
 * conditional GETs that remember each URL's ETag and body (a 304 is free against
 * the rate limit), and one-line errors a user can act on.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { PrStore } from '../store/prStore';
import { redactUrl, type GitHubRepository } from './remote';

const DiffwiseOctokit = Octokit.plugin(retry, throttling);
export type GitHubOctokit = InstanceType<typeof DiffwiseOctokit>;

/** A GitHub problem the user can act on; the message is one line and never holds the token. */
export class GitHubError extends Error {
  override name = 'GitHubError';
}

/** Where to find the token: GITHUB_TOKEN, then GH_TOKEN (the GitHub CLI's). */
export function tokenFrom(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim() || undefined;
}

export function createOctokit(repository: GitHubRepository, token: string | undefined): GitHubOctokit {
  return new DiffwiseOctokit({
    auth: token,
    baseUrl: repository.apiUrl,
    userAgent: 'diffwise',
    // Two retries of a 5xx or a dropped connection, after 1 s and 4 s: a review tool should not hang.
    retry: { retries: 2 },
    throttle: {
      // The primary limit: fail at once with the reset time rather than block the editor for up to an hour.
      onRateLimit: () => false,
      // A secondary limit asks for a short pause: honour it once when it is short.
      onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount === 0 && retryAfter <= 30,
    },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
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
export async function getAllPages<T>(octokit: GitHubOctokit, store: PrStore, ledger: RequestLedger, firstUrl: string): Promise<T[]> {
  const items: T[] = [];
  let url: string | undefined = firstUrl;
  for (let page = 0; url && page < 100; page++) {
    const { body, link } = await conditionalGet(octokit, store, ledger, url);
    items.push(...(JSON.parse(body) as T[]));
    url = nextPage(link);
  }
  return items;
}

export async function conditionalGet(octokit: GitHubOctokit, store: PrStore, ledger: RequestLedger, url: string): Promise<{ body: string; link: string | null; fresh: boolean }> {
  const known = store.validator(url);
  ledger.requests++;
  try {
    const response = await octokit.request(`GET ${url}`, { headers: known ? { 'if-none-match': known.etag } : {} });
    ledger.observe(response.headers as Record<string, string | number | undefined>);
    const body = JSON.stringify(response.data);
    const link = (response.headers.link as string | undefined) ?? null;
    const etag = response.headers.etag as string | undefined;
    if (etag) store.saveValidator(url, { etag, body, link });
    return { body, link, fresh: true };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 304 && known) {
      ledger.notModified++;
      ledger.observe(((error as { response?: { headers?: Record<string, string> } }).response?.headers ?? {}));
      return { body: known.body, link: known.link, fresh: false };
    }
    throw error;
  }
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
 * access, rate limited (until when), or what GitHub said.
 */
export function describeGitHubError(error: unknown, repository: GitHubRepository, hasToken: boolean): GitHubError {
  if (error instanceof GitHubError) return error;
  // GraphQL answers 200 with `errors` (an unknown thread, no permission): octokit throws them without a status.
  const graphqlErrors = (error as { errors?: Array<{ message: string; type?: string }> }).errors;
  if ((error as Error).name === 'GraphqlResponseError' && graphqlErrors?.length) {
    return new GitHubError(`GitHub: ${graphqlErrors[0].message}${graphqlErrors[0].type ? ` (${graphqlErrors[0].type})` : ''}`);
  }
  const status = (error as { status?: number }).status;
  const headers = ((error as { response?: { headers?: Record<string, string> } }).response?.headers ?? {}) as Record<string, string>;
  const message = ((error as { response?: { data?: { message?: string } } }).response?.data?.message ?? (error as Error).message ?? String(error)).split('\n')[0];
  const where = `${repository.owner}/${repository.repo}`;
  if (status === 401) return new GitHubError(`GitHub rejected the token (401 ${message}): set GITHUB_TOKEN to a valid token`);
  if ((status === 403 || status === 429) && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message))) {
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
  if (status !== undefined) return new GitHubError(`GitHub answered ${status}: ${message}`);
  return new GitHubError(`cannot reach GitHub at ${redactUrl(repository.apiUrl)}: ${message}`);
}

/**
 * GitHub as `diffwise pr` would reach it: the `origin` remote, the API URL the client
 * would use (DIFFWISE_GITHUB_API_URL or the editor's setting), the token it would send.
 * One `GET /rate_limit` tells the rest: GitHub does not count it against the limit, and
 * its answer carries the token's classic scopes (`x-oauth-scopes`) and what is left.
 * Plain fetch rather than octokit: one request needs none of its retries, and `doctor`
 * stays out of the octokit bundle.
 */
import type { HealthCheck } from '../../shared/observability';
import type { GitRepository } from '../git/repository';
import { tokenFrom } from '../github/client';
import { NotGitHubRemoteError, parseGitHubRemote, redactUrl, type GitHubRepository } from '../github/remote';

/** The remote the pull-request commands read (server/github/pullRequests.ts). */
const REMOTE = 'origin';
/** Under this share of the hour's requests left, a sync or publish may be refused soon. */
const LOW_REMAINING_SHARE = 0.1;
const TOKEN_FIX = 'set GITHUB_TOKEN (or GH_TOKEN) to a token that can read the repository; in the editor, sign in to GitHub';

export interface GitHubCheckOptions {
  env: NodeJS.ProcessEnv;
  /** The editor's `diffwise.github.apiUrl`; wins over the environment, as for the pr commands. */
  apiUrl?: string;
  timeoutMs: number;
}

export async function githubCheck(repo: GitRepository, options: GitHubCheckOptions): Promise<HealthCheck> {
  const title = 'GitHub';
  const remote = await repo.remoteUrl(REMOTE);
  if (!remote) return { id: 'github', title, status: 'ok', detail: `not used (no ${REMOTE} remote)` };
  let repository: GitHubRepository;
  try {
    repository = parseGitHubRemote(remote, options.apiUrl?.trim() || options.env.DIFFWISE_GITHUB_API_URL?.trim() || undefined);
  } catch (error) {
    if (error instanceof NotGitHubRemoteError) return { id: 'github', title, status: 'ok', detail: `not used (${REMOTE} is ${redactUrl(remote)}, not a GitHub repository)` };
    throw error;
  }
  const slug = `${repository.owner}/${repository.repo}`;
  const token = tokenFrom(options.env);
  if (!token) {
    return { id: 'github', title, status: 'warning', detail: `${slug}: no token (public repositories only, 60 requests an hour)`, fix: TOKEN_FIX };
  }
  let response: Response;
  try {
    response = await fetch(`${repository.apiUrl}/rate_limit`, {
      headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json', 'user-agent': 'diffwise' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const cause = (error as Error).name === 'TimeoutError' ? `no answer in ${options.timeoutMs} ms` : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
    return { id: 'github', title, status: 'error', detail: `${repository.apiUrl} unreachable: ${cause}`, fix: 'check the network, or DIFFWISE_GITHUB_API_URL (diffwise.github.apiUrl) for GitHub Enterprise' };
  }
  if (response.status === 401) return { id: 'github', title, status: 'error', detail: `${slug}: token refused (HTTP 401, expired or revoked)`, fix: TOKEN_FIX };
  if (!response.ok) return { id: 'github', title, status: 'error', detail: `${repository.apiUrl}/rate_limit answered HTTP ${response.status}`, fix: 'check DIFFWISE_GITHUB_API_URL, or try again later' };
  const scopes = response.headers.get('x-oauth-scopes');
  const core = await coreLimit(response);
  const scopeText = scopes === null ? 'fine-grained token (no scopes to list: its repository permissions apply)' : `scopes: ${scopes.trim() || 'none'}`;
  const limitText = core ? `${core.remaining} of ${core.limit} requests left this hour` : 'rate limit not reported';
  const detail = `${slug}: ${scopeText}; ${limitText}`;
  if (core && core.remaining < core.limit * LOW_REMAINING_SHARE) {
    return { id: 'github', title, status: 'warning', detail, fix: `wait for the reset at ${new Date(core.reset * 1000).toLocaleTimeString()}, or use another token` };
  }
  if (scopes !== null && !scopes.split(',').map((scope) => scope.trim()).some((scope) => scope === 'repo' || scope === 'public_repo')) {
    return { id: 'github', title, status: 'warning', detail, fix: 'diffwise pr publish needs the repo scope (public_repo for a public repository): add it to the token' };
  }
  return { id: 'github', title, status: 'ok', detail };
}

async function coreLimit(response: Response): Promise<{ limit: number; remaining: number; reset: number } | null> {
  try {
    const body = (await response.json()) as { resources?: { core?: { limit?: unknown; remaining?: unknown; reset?: unknown } } };
    const core = body.resources?.core;
    if (typeof core?.limit === 'number' && typeof core.remaining === 'number') return { limit: core.limit, remaining: core.remaining, reset: typeof core.reset === 'number' ? core.reset : 0 };
  } catch {
    // Not JSON: the headers may still say it.
  }
  const limit = Number(response.headers.get('x-ratelimit-limit'));
  const remaining = Number(response.headers.get('x-ratelimit-remaining'));
  if (!response.headers.has('x-ratelimit-limit') || !Number.isFinite(limit) || !Number.isFinite(remaining)) return null;
  return { limit, remaining, reset: Number(response.headers.get('x-ratelimit-reset')) || 0 };
}

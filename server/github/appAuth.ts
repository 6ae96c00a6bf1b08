/**
 * The token each GitHub request of the team service carries. As a GitHub App
 * (GITHUB_APP_ID + its private key), an installation token per installation,
 * minted by `@octokit/auth-app` (the library `@octokit/app` itself uses: it
 * signs the app's JWT and asks `POST /app/installations/{id}/access_tokens`);
 * with GITHUB_TOKEN, that one token for every repository it can reach.
 *
 * Installation tokens live one hour. auth-app caches each for 59 minutes from
 * when it was minted, whatever its `expires_at` says, so near the end of that
 * hour it hands out a token with a minute left (and one with a shorter life
 * after it expired): a token with less than five minutes left is refreshed
 * here, so that a clone and a review started with it finish with it.
 *
 * Neither the key nor a token is ever logged or put in a message.
 */
import * as crypto from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { GitHubAuthConfig } from '../service/config';
import { describeGitHubError } from './client';
import { excerpt, GitHubError } from './errors';
import { redactUrl, type GitHubRepository } from './remote';
import { Deadline, githubTimeouts, timedFetch, type GitHubTimeouts } from './transport';
import { checkAnswer } from './answers';
import { installationSchema } from './restTypes';

/** An installation token with less time left than this is replaced before use. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface AccessTokenOptions {
  /** DIFFWISE_GITHUB_TIMEOUT_MS / _DEADLINE_MS; from `process.env` by default. */
  timeouts?: GitHubTimeouts;
  /** How long before its expiry a token is refreshed (5 min). */
  refreshMarginMs?: number;
}

type InstallationAuth = { token: string; expiresAt: string };

export class GitHubAccessTokens {
  private readonly apiUrl: string;
  private readonly deadline: Deadline;
  private readonly appAuth: ReturnType<typeof createAppAuth> | undefined;
  private readonly request: Octokit['request'] | undefined;
  private readonly refreshMarginMs: number;

  constructor(
    private readonly auth: GitHubAuthConfig,
    apiUrl?: string,
    options: AccessTokenOptions = {},
  ) {
    this.apiUrl = (apiUrl?.trim() || 'https://api.github.com').replace(/\/+$/, '');
    this.refreshMarginMs = options.refreshMarginMs ?? REFRESH_MARGIN_MS;
    const timeouts = options.timeouts ?? githubTimeouts(process.env);
    this.deadline = new Deadline(timeouts.deadlineMs);
    if (auth.mode !== 'app') return;
    checkPrivateKey(auth.appId, auth.privateKey);
    // auth-app's requests go through the same transport as every other (timeouts, one-line network errors).
    this.request = new Octokit({
      baseUrl: this.apiUrl, userAgent: 'diffwise', request: { fetch: timedFetch(timeouts, this.deadline, this.apiUrl) },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    }).request;
    this.appAuth = createAppAuth({ appId: auth.appId, privateKey: auth.privateKey, request: this.request, log: { warn: () => undefined } });
  }

  /**
   * The token for a repository of installation `installationId` (a webhook's
   * `installation.id`): a fresh-enough installation token in app mode; GITHUB_TOKEN
   * as it is in token mode, where the installation is ignored.
   */
  async tokenFor(installationId: number | null): Promise<string> {
    if (this.auth.mode === 'token') return this.auth.token;
    if (installationId === null || !Number.isSafeInteger(installationId) || installationId <= 0) {
      throw new GitHubError(`GitHub App ${this.auth.appId}: the event names no installation (a GitHub App's webhooks carry installation.id); deliveries from a repository webhook need GITHUB_TOKEN instead`);
    }
    let current = await this.installationAuth(installationId, false);
    if (Date.parse(current.expiresAt) - Date.now() < this.refreshMarginMs) current = await this.installationAuth(installationId, true);
    return current.token;
  }

  /** The installation of the app on `repository` (`GET /repos/{o}/{r}/installation`, signed with the app's JWT). */
  async installationOf(repository: Pick<GitHubRepository, 'owner' | 'repo'>): Promise<number> {
    if (this.auth.mode !== 'app' || !this.appAuth || !this.request) throw new GitHubError('installations are a GitHub App\'s: GITHUB_TOKEN has none (set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY)');
    const { appId } = this.auth;
    const where = `${repository.owner}/${repository.repo}`;
    this.deadline.restart();
    try {
      const { token } = await this.appAuth({ type: 'app' });
      const url = `/repos/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.repo)}/installation`;
      const response = await this.request(`GET ${url}`, { headers: { authorization: `Bearer ${token}` } });
      return checkAnswer(installationSchema(), response.data, { endpoint: `GET ${url}`, status: response.status }, 'an installation').id;
    } catch (error) {
      throw this.describe(error, (status, said) => (status === 404
        ? `GitHub App ${appId} is not installed on ${where} (404): install it on the repository (or its owner) from the app's settings`
        : undefined) ?? this.common(status, said));
    }
  }

  private async installationAuth(installationId: number, refresh: boolean): Promise<InstallationAuth> {
    const appId = (this.auth as { appId: string }).appId;
    this.deadline.restart();
    try {
      const result = await this.appAuth!({ type: 'installation', installationId, refresh });
      return { token: result.token, expiresAt: result.expiresAt };
    } catch (error) {
      throw this.describe(error, (status, said) => (status === 404
        ? `GitHub App ${appId} has no installation ${installationId} on ${redactUrl(this.apiUrl)} (404 ${said}): the app was uninstalled, or GITHUB_APP_ID names another app`
        : status === 403
          ? `GitHub App ${appId} may not have a token for installation ${installationId} (403 ${said}): the installation is suspended, or lacks a permission it asks for`
          : undefined) ?? this.common(status, said));
    }
  }

  /** What a 401 and other statuses mean for any request the app signs. */
  private common(status: number | undefined, said: string): string | undefined {
    const appId = (this.auth as { appId: string }).appId;
    if (status === 401) return `GitHub refused GitHub App ${appId}'s signed request (401 ${said}): GITHUB_APP_PRIVATE_KEY must be a current key of app ${appId} (GITHUB_APP_ID), and this machine's clock right`;
    return undefined;
  }

  /** One line for a failure of a request the app signs: `known` for its documented statuses, else what GitHub or the network said. */
  private describe(error: unknown, known: (status: number | undefined, said: string) => string | undefined): GitHubError {
    const status = (error as { status?: number }).status;
    const data = (error as { response?: { data?: unknown } }).response?.data;
    const said = excerpt(data !== null && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string' ? (data as { message: string }).message : (error as Error).message ?? String(error), 200);
    const message = status !== undefined && (error as { response?: unknown }).response ? known(status, said) : undefined;
    if (message) return new GitHubError(message);
    // The transport's one-line failures (timeouts, an unreachable host) and unexpected answers, as every other request has them.
    const host = (() => {
      try {
        return new URL(this.apiUrl).hostname;
      } catch {
        return this.apiUrl;
      }
    })();
    const described = describeGitHubError(error, { host, owner: '', repo: '', apiUrl: this.apiUrl, graphqlUrl: '' }, true);
    return new GitHubError(`GitHub App ${(this.auth as { appId: string }).appId}: ${described.message}`);
  }
}

/**
 * Fails at start, not at the first delivery, when the key cannot sign: not a
 * PEM private key, or not an RSA one (GitHub's are RSA). The message never holds the key.
 */
function checkPrivateKey(appId: string, privateKey: string): void {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(privateKey);
  } catch (error) {
    const reason = (error as { code?: string }).code ?? 'unreadable';
    throw new GitHubError(`GITHUB_APP_PRIVATE_KEY for GitHub App ${appId} is not a usable private key (${reason}): use the .pem file GitHub generated for the app`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new GitHubError(`GITHUB_APP_PRIVATE_KEY for GitHub App ${appId} is a ${key.asymmetricKeyType ?? 'non-RSA'} key: GitHub Apps sign with RSA keys (the .pem file GitHub generated)`);
}

/**
 * `https://x-access-token:TOKEN@host/owner/repo.git` for an https clone URL
 * (how git authenticates with an installation token), any credentials it had
 * replaced; other URLs (`file://`, ssh) unchanged. The result holds the token:
 * never log it or put it in a message; `redactUrl` (remote.ts) strips it.
 */
export function cloneUrlWithToken(cloneUrl: string, token: string): string {
  let url: URL;
  try {
    url = new URL(cloneUrl);
  } catch {
    return cloneUrl;
  }
  if (url.protocol !== 'https:') return cloneUrl;
  url.username = 'x-access-token';
  url.password = token;
  return url.href;
}

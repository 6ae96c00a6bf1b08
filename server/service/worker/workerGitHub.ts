/**
 * The worker's way to GitHub for one job: the token (an installation token in app mode,
 * minted and refreshed by github/appAuth.ts; the one GITHUB_TOKEN otherwise), the client
 * made with it (octokit with the CLI's retries, timeouts and checks), and the header that
 * lets git fetch over https with the same token without writing it anywhere.
 */
import { createOctokit, type GitHubClient, type RateLimitState } from '../../github/client';
import { GitHubAccessTokens } from '../../github/appAuth';
import { gitHubRepositoryOf, type GitHubRepository } from '../../github/remote';
import { githubTimeouts } from '../../github/transport';
import type { ServiceConfig } from '../config';
import { basicAuthorization } from './cloneCache';

export interface JobGitHub {
  repository: GitHubRepository;
  client: GitHubClient;
  /** For git over https only: `Authorization` header value; undefined for other URLs (file://). */
  authorizationFor(cloneUrl: string): string | undefined;
}

export class WorkerGitHub {
  private readonly tokens: GitHubAccessTokens;

  constructor(
    private readonly config: ServiceConfig,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.tokens = new GitHubAccessTokens(config.github!, config.apiUrl, { timeouts: githubTimeouts(env) });
  }

  async forJob(fullName: string, installationId: number | null, onRateLimit: (state: RateLimitState, resource: string) => void): Promise<JobGitHub> {
    const token = await this.tokens.tokenFor(installationId);
    // The repository's API: github.com's, or DIFFWISE_GITHUB_API_URL's (GitHub Enterprise, the tests' fake).
    const repository = gitHubRepositoryOf(fullName, this.config.apiUrl);
    const client = createOctokit(repository, token, githubTimeouts(this.env), onRateLimit);
    return {
      repository,
      client,
      authorizationFor: (cloneUrl) => (/^https?:\/\//i.test(cloneUrl) ? basicAuthorization(token) : undefined),
    };
  }
}

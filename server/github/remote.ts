/**
 * Which GitHub repository a git remote points at, and where its API lives:
 * github.com's `https://api.github.com`, a GitHub Enterprise Server's
 * `https://HOST/api/v3`, or whatever `DIFFWISE_GITHUB_API_URL` /
 * `diffwise.github.apiUrl` says (the way the GitHub Pull Requests extension
 * takes `github-enterprise.uri`).
 */

export interface GitHubRepository {
  /** The host in the remote URL, e.g. `github.com` or `ghe.example.com`. */
  host: string;
  owner: string;
  repo: string;
  /** REST base URL, without a trailing slash. */
  apiUrl: string;
  /** GraphQL endpoint. */
  graphqlUrl: string;
}

/** A remote that is not a GitHub one, or that cannot be parsed: the message says which. */
export class NotGitHubRemoteError extends Error {
  override name = 'NotGitHubRemoteError';
}

/**
 * Parses `https://github.com/o/r(.git)`, `git@github.com:o/r.git`,
 * `ssh://git@host[:port]/o/r.git` and `git://host/o/r`. A host other than
 * github.com is taken as GitHub Enterprise only when an API URL is configured
 * for it (`apiUrl`): guessing would send the token to any git host.
 */
export function parseGitHubRemote(remoteUrl: string, apiUrl?: string): GitHubRepository {
  const url = remoteUrl.trim();
  const match = /^(?:(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/|[^@/]+@([^:/]+):)([^/]+)\/(.+?)(?:\.git)?\/?$/.exec(url);
  if (!match) throw new NotGitHubRemoteError(`the remote ${redactUrl(url)} is not a GitHub repository URL (expected https://HOST/OWNER/REPO or git@HOST:OWNER/REPO.git)`);
  const host = (match[1] ?? match[2]).toLowerCase();
  const [owner, repo] = [match[3], match[4]];
  if (apiUrl) {
    const base = apiUrl.replace(/\/+$/, '');
    return { host, owner, repo, apiUrl: base, graphqlUrl: graphqlUrlFor(base) };
  }
  if (host !== 'github.com' && host !== 'www.github.com') {
    throw new NotGitHubRemoteError(`the remote's host ${host} is not github.com; for GitHub Enterprise set DIFFWISE_GITHUB_API_URL (or diffwise.github.apiUrl) to https://${host}/api/v3`);
  }
  return { host: 'github.com', owner, repo, apiUrl: 'https://api.github.com', graphqlUrl: 'https://api.github.com/graphql' };
}

/**
 * The repository a webhook names (`repository.full_name`, `owner/name`) on the
 * API at `apiUrl` (DIFFWISE_GITHUB_API_URL; github.com's by default): the team
 * service has no git remote to read it from.
 */
export function gitHubRepositoryOf(fullName: string, apiUrl?: string): GitHubRepository {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(fullName.trim());
  if (!match) throw new NotGitHubRemoteError(`"${fullName.slice(0, 100)}" is not a GitHub repository's full name (OWNER/REPO)`);
  const base = (apiUrl?.trim() || 'https://api.github.com').replace(/\/+$/, '');
  let host: string;
  try {
    host = new URL(base).hostname.toLowerCase();
  } catch {
    throw new NotGitHubRemoteError(`the GitHub API URL ${redactUrl(base)} is not a URL (DIFFWISE_GITHUB_API_URL)`);
  }
  return { host: host === 'api.github.com' ? 'github.com' : host, owner: match[1], repo: match[2], apiUrl: base, graphqlUrl: graphqlUrlFor(base) };
}

/** GitHub Enterprise Server serves GraphQL at /api/graphql beside /api/v3; github.com and others at /graphql. */
function graphqlUrlFor(apiUrl: string): string {
  return /\/api\/v3$/.test(apiUrl) ? apiUrl.replace(/\/api\/v3$/, '/api/graphql') : `${apiUrl}/graphql`;
}

/** A remote URL may carry credentials (`https://user:token@host/...`): never print them. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/]*@/i, '$1');
}

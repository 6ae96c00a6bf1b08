/**
 * The team service's configuration, from the environment only (the conventional names
 * an operator's unit file or compose file sets), read once at start and checked as a
 * whole, so that a missing variable is said before anything listens or connects.
 * Secrets may come from files (`*_FILE`, as container secrets are mounted); none is
 * ever logged: `describeConfig` says which are set, never their values.
 */
import * as fs from 'node:fs';
import { ServiceError } from './errors';

/** How the worker talks to GitHub: as a GitHub App (an installation token per repository) or with one token. */
export type GitHubAuthConfig =
  | { mode: 'app'; appId: string; privateKey: string }
  | { mode: 'token'; token: string };

export interface ServiceConfig {
  /** DATABASE_URL: the PostgreSQL connection string (queue and store). */
  databaseUrl: string;
  /** GITHUB_WEBHOOK_SECRET: what every delivery's X-Hub-Signature-256 is checked against (the server needs it). */
  webhookSecret: string | undefined;
  /** GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY(_FILE), or GITHUB_TOKEN (the worker needs one). */
  github: GitHubAuthConfig | undefined;
  /** DIFFWISE_GITHUB_API_URL: GitHub Enterprise Server's REST API (default https://api.github.com). */
  apiUrl: string | undefined;
  /** DIFFWISE_DASHBOARD_TOKEN: what the dashboard and its JSON ask for; without it they are not served. */
  dashboardToken: string | undefined;
}

/** A variable's value, or the content of the file its `_FILE` twin names (trailing newline dropped). */
export function secretFrom(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const direct = env[name]?.trim();
  if (direct) return direct;
  const file = env[`${name}_FILE`]?.trim();
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '') || undefined;
  } catch (error) {
    throw new ServiceError(`cannot read ${name}_FILE ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function loadServiceConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const databaseUrl = secretFrom(env, 'DATABASE_URL');
  if (!databaseUrl) throw new ServiceError('DATABASE_URL is not set: the team service keeps its queue and store in PostgreSQL (for example postgres://diffwise:PASSWORD@localhost:5432/diffwise)');
  if (!/^postgres(?:ql)?:\/\//.test(databaseUrl)) throw new ServiceError('DATABASE_URL must be a postgres:// or postgresql:// connection string');
  const appId = env.GITHUB_APP_ID?.trim();
  const privateKey = secretFrom(env, 'GITHUB_APP_PRIVATE_KEY')?.replace(/\\n/g, '\n');
  const token = secretFrom(env, 'GITHUB_TOKEN');
  if (appId && !privateKey) throw new ServiceError('GITHUB_APP_ID is set but not GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_FILE): the app signs its installation-token requests with that key');
  if (privateKey && !appId) throw new ServiceError('GITHUB_APP_PRIVATE_KEY is set but not GITHUB_APP_ID');
  if (privateKey && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) throw new ServiceError('GITHUB_APP_PRIVATE_KEY is not a PEM private key (the .pem file GitHub gave when the key was generated)');
  const github: GitHubAuthConfig | undefined = appId && privateKey ? { mode: 'app', appId, privateKey } : token ? { mode: 'token', token } : undefined;
  return {
    databaseUrl,
    webhookSecret: secretFrom(env, 'GITHUB_WEBHOOK_SECRET'),
    github,
    apiUrl: env.DIFFWISE_GITHUB_API_URL?.trim() || undefined,
    dashboardToken: secretFrom(env, 'DIFFWISE_DASHBOARD_TOKEN'),
  };
}

/** The database's address without its password, for messages and logs. */
export function databaseLabel(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'the DATABASE_URL database';
  }
}

/** Which parts are configured, for the start-up log line: names and modes, never a secret. */
export function describeConfig(config: ServiceConfig): Record<string, string | boolean> {
  return {
    database: databaseLabel(config.databaseUrl),
    webhookSecret: config.webhookSecret !== undefined,
    github: config.github?.mode ?? 'none',
    apiUrl: config.apiUrl ?? 'https://api.github.com',
    dashboard: config.dashboardToken !== undefined,
  };
}

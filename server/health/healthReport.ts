/**
 * `diffwise doctor` and `diffwise/health`: every check, in the order a reader fixes
 * things (the programs, the repository, its database and disk, the index, then the
 * remote services), each ok / warning / error with a one-line fix. Reads only: a check
 * never writes the database, the index or a setting, so it is safe on a broken setup.
 */
import type { HealthCheck, HealthReport, HealthStatus } from '../../shared/observability';
import { GitRepository } from '../git/repository';
import type { LlmOverrides } from '../llm/config';
import { defaultDatabasePath } from '../store/database';
import { diskCheck, inspectDatabase } from './databaseCheck';
import { githubCheck } from './githubCheck';
import { indexCheck } from './indexCheck';
import { llmChecks } from './llmCheck';
import { gitCheck, nodeCheck } from './runtimeCheck';
import { trustCheck } from './trustCheck';

/** How long a remote service has to answer: a health check should not hang on one. */
export const DEFAULT_REMOTE_TIMEOUT_MS = 5000;

export interface HealthOptions {
  /** The repository (any folder inside it). */
  dir: string;
  /** `--db` / DIFFWISE_DB; the repository's default location otherwise. */
  dbPath?: string;
  env?: NodeJS.ProcessEnv;
  /** The editor's workspace trust; left out by the CLI, which has none. */
  trusted?: boolean;
  /** The editor's `diffwise.llm.*` settings. */
  llm?: LlmOverrides & { enabled?: boolean };
  /** The editor's `diffwise.github.apiUrl`. */
  githubApiUrl?: string;
  remoteTimeoutMs?: number;
}

const RANK: Record<HealthStatus, number> = { ok: 0, warning: 1, error: 2 };

export async function runHealthChecks(options: HealthOptions): Promise<HealthReport> {
  const env = options.env ?? process.env;
  const timeoutMs = options.remoteTimeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS;
  const checks: HealthCheck[] = [nodeCheck(), await gitCheck(env)];
  let repo: GitRepository | null = null;
  try {
    repo = await GitRepository.open(options.dir);
  } catch (error) {
    checks.push({ id: 'repository', title: 'Repository', status: 'error', detail: (error as Error).message, fix: 'run diffwise in a git work tree, or pass --repo DIR' });
  }
  if (repo) {
    const workTree = repo;
    const dbPath = options.dbPath ?? defaultDatabasePath(repo.commonDir);
    const { check, db } = inspectDatabase(dbPath);
    try {
      checks.push(check, diskCheck(dbPath), await guarded('index', 'Index', () => indexCheck(db, workTree)));
    } finally {
      db?.close();
    }
    // The two services at once: each waits at most its timeout on the network.
    const [llm, github] = await Promise.all([
      guardedMany('llm', 'LLM endpoint', () => llmChecks({ env, repoRoot: workTree.root, overrides: options.llm, enabled: options.llm?.enabled, timeoutMs })),
      // An untrusted folder's daemon is given no token (extension/daemonEnv.ts): "no token" would send the user the wrong way.
      options.trusted === false
        ? { id: 'github', title: 'GitHub', status: 'ok' as const, detail: 'off (the workspace is not trusted)' }
        : guarded('github', 'GitHub', () => githubCheck(workTree, { env, apiUrl: options.githubApiUrl, timeoutMs })),
    ]);
    checks.push(...llm, github);
  }
  if (options.trusted !== undefined) checks.push(trustCheck(options.trusted));
  return { status: worstOf(checks), checks, checkedAt: new Date().toISOString() };
}

export function worstOf(checks: readonly HealthCheck[]): HealthStatus {
  return checks.reduce<HealthStatus>((worst, check) => (RANK[check.status] > RANK[worst] ? check.status : worst), 'ok');
}

/** A check that fails unexpectedly is an error line of its own, not a report that never comes. */
async function guarded(id: string, title: string, run: () => Promise<HealthCheck>): Promise<HealthCheck> {
  return (await guardedMany(id, title, async () => [await run()]))[0]!;
}

async function guardedMany(id: string, title: string, run: () => Promise<HealthCheck[]>): Promise<HealthCheck[]> {
  try {
    return await run();
  } catch (error) {
    return [{ id, title, status: 'error', detail: `the check failed: ${(error as Error).message}`, fix: 'run again with DIFFWISE_DEBUG=1 and report the stack trace' }];
  }
}

/**
 * The review queue, on pg-boss (a PostgreSQL job queue: SKIP LOCKED fetches, retries
 * with backoff, expiry of a job whose worker died, a dead-letter queue), never a table
 * polled by hand. Its `stately` policy keyed by pull request keeps at most one job
 * queued and one running per pull request: a push while one waits adds nothing (the
 * waiting job will review the newest head), a push while one runs queues exactly one
 * more. pg-boss keeps its own schema (pgboss) and migrates it on start.
 */
import PgBoss from 'pg-boss';
import type { PoolClient } from 'pg';
import { pullRequestKey, type ReviewJob } from './jobs';

export const REVIEW_QUEUE = 'diffwise-review';
/** Where a job goes after its last failed attempt, kept for an operator to look at (or resend). */
export const DEAD_LETTER_QUEUE = 'diffwise-review-dead';

export interface QueueSettings {
  /** Attempts after the first (DIFFWISE_JOB_RETRIES, default 4). */
  retryLimit: number;
  /** Seconds before the first retry, doubled at each (DIFFWISE_JOB_RETRY_DELAY_SECONDS, default 15). */
  retryDelaySeconds: number;
  /** A running job not finished after this long is taken as dead (its worker killed) and retried (DIFFWISE_JOB_TIMEOUT_SECONDS, default 900). */
  timeoutSeconds: number;
}

export function queueSettingsFrom(env: NodeJS.ProcessEnv): QueueSettings {
  const whole = (name: string, fallback: number, min: number) => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value >= min ? value : fallback;
  };
  return {
    retryLimit: whole('DIFFWISE_JOB_RETRIES', 4, 0),
    retryDelaySeconds: whole('DIFFWISE_JOB_RETRY_DELAY_SECONDS', 15, 1),
    timeoutSeconds: whole('DIFFWISE_JOB_TIMEOUT_SECONDS', 900, 5),
  };
}

export class ReviewQueue {
  readonly boss: PgBoss;

  constructor(databaseUrl: string, private readonly settings: QueueSettings, options: { onError?: (error: Error) => void; supervise?: boolean } = {}) {
    this.boss = new PgBoss({
      connectionString: databaseUrl,
      max: 4,
      // Expiry (a dead worker's job) is found by this sweep: often enough that a killed job
      // waits about its timeout, not minutes more.
      supervise: options.supervise ?? true,
      maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(settings.timeoutSeconds / 4))),
      monitorStateIntervalSeconds: 60,
      schedule: false,
    });
    this.boss.on('error', (error: Error) => options.onError?.(error));
  }

  /** Connects, migrates pg-boss's schema when needed, and makes sure both queues exist. */
  async start(): Promise<void> {
    await this.boss.start();
    await this.boss.createQueue(DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE, retryLimit: 0 });
    await this.boss.createQueue(REVIEW_QUEUE, {
      name: REVIEW_QUEUE,
      policy: 'stately',
      retryLimit: this.settings.retryLimit,
      retryDelay: this.settings.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: this.settings.timeoutSeconds,
      deadLetter: DEAD_LETTER_QUEUE,
    });
  }

  /**
   * Queues a review of the pull request, inside the caller's transaction when `client`
   * is given (the delivery's row and its job commit together or not at all). Resolves to
   * the job's id, or null when one is already waiting for this pull request.
   */
  enqueue(job: ReviewJob, client?: PoolClient): Promise<string | null> {
    return this.boss.send(REVIEW_QUEUE, job, {
      singletonKey: pullRequestKey(job.repository, job.number),
      ...(client ? { db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) } } : {}),
    });
  }

  /** Jobs waiting (created or due for a retry), for /metrics and the dashboard. */
  depth(): Promise<number> {
    return this.boss.getQueueSize(REVIEW_QUEUE);
  }

  /** Jobs that ran out of attempts. */
  deadLetters(): Promise<number> {
    return this.boss.getQueueSize(DEAD_LETTER_QUEUE);
  }

  /**
   * Runs `handler` on `concurrency` jobs at a time (one fetch loop each). A throw fails
   * the attempt: pg-boss retries it after the backoff, or moves it to the dead letters.
   */
  async work(concurrency: number, handler: (job: PgBoss.JobWithMetadata<ReviewJob>) => Promise<void>, pollingIntervalSeconds = 1): Promise<void> {
    for (let i = 0; i < concurrency; i++) {
      await this.boss.work<ReviewJob>(REVIEW_QUEUE, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds }, async ([job]) => {
        if (job) await handler(job);
      });
    }
  }

  /**
   * Stops taking jobs; with `graceful`, waits up to `timeoutMs` for the running ones to
   * finish, and fails (so releases for a retry) what is still running after that.
   */
  stop(options: { graceful: boolean; timeoutMs: number }): Promise<void> {
    return this.boss.stop({ graceful: options.graceful, timeout: options.timeoutMs, wait: true });
  }
}

/**
 * `diffwise worker`: takes review jobs off the PostgreSQL queue, `--concurrency` at a time,
 * and runs each (reviewJob.ts) on a partial clone from its cache (cloneCache.ts). Any number
 * of these run on any number of machines: the queue hands each job to one of them, and
 * releases a dead one's job after its timeout. SIGTERM or SIGINT stops taking jobs and lets
 * the running ones finish (DIFFWISE_WORKER_SHUTDOWN_SECONDS, default 60); what is still
 * running then is failed back to the queue for a retry. A second signal exits at once.
 */
import * as os from 'node:os';
import type { ServiceCommand } from '../../cli/serviceArgs';
import { createLogger, type Logger } from '../../observability/logger';
import { cliLogLevel, type LogLevel } from '../../observability/logSettings';
import { allSinks, reviewLogSink } from '../../observability/logSinks';
import { otlpTraceSink } from '../../observability/otelExport';
import { flushSentry, sentrySink } from '../../observability/sentry';
import { describeConfig, loadServiceConfig } from '../config';
import { ServiceError } from '../errors';
import { queueSettingsFrom, ReviewQueue } from '../queue';
import { migrateServiceStore } from '../store/migrations';
import { describeDatabaseError, openPool } from '../store/postgres';
import { ServiceStore } from '../store/serviceStore';
import { CloneCache, cloneCacheSettingsFrom } from './cloneCache';
import { WorkerGitHub } from './workerGitHub';
import { reviewJob, type WorkerContext } from './reviewJob';

type WorkerCommand = Extract<ServiceCommand, { name: 'worker' }>;

export function shutdownSecondsFrom(env: NodeJS.ProcessEnv): number {
  const value = Number(env.DIFFWISE_WORKER_SHUTDOWN_SECONDS);
  return Number.isFinite(value) && value >= 0 ? value : 60;
}

export async function runWorker(command: WorkerCommand, version: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = loadServiceConfig(env);
  if (!config.github) {
    throw new ServiceError('the worker needs GitHub credentials: GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_FILE) for a GitHub App, or GITHUB_TOKEN for one repository');
  }
  // --log-level silent is silent here too; otherwise a service logs at info by default.
  const level: LogLevel = command.log.level === 'silent' ? 'silent' : (cliLogLevel(command.log) ?? 'info');
  const logger = await createLogger({ component: 'worker', level, file: command.log.file, rotateSize: command.log.rotateSize, env });
  const pool = openPool(config.databaseUrl);
  const queueSettings = queueSettingsFrom(env);
  const queue = new ReviewQueue(config.databaseUrl, queueSettings, { onError: (error) => logger.warn({ err: error }, 'queue error') });
  const traces = otlpTraceSink(version, { env, debug: (message) => logger.debug({ stage: 'otlp-export' }, message) });
  try {
    await migrateServiceStore(pool);
    await queue.start();
  } catch (error) {
    await queue.stop({ graceful: false, timeoutMs: 1_000 }).catch(() => undefined);
    await pool.end().catch(() => undefined);
    await logger.flush();
    throw describeDatabaseError(error, config.databaseUrl);
  }

  const clones = new CloneCache(cloneCacheSettingsFrom(env, command.cacheDir));
  const context: WorkerContext = {
    store: new ServiceStore(pool),
    clones,
    github: new WorkerGitHub(config, env),
    failOn: command.failOn,
    logger,
    onReviewRecorded: (log: Logger) => allSinks(sentrySink(version, env), reviewLogSink(log), traces?.sink),
    worker: `${os.hostname()}:${process.pid}`,
    env,
  };

  let stopping: Promise<void> | undefined;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        void logger.flush().finally(() => process.exit(1));
        return;
      }
      const timeoutMs = shutdownSecondsFrom(env) * 1000;
      logger.info({ signal, timeoutMs }, 'shutting down: no new jobs, waiting for the running ones');
      stopping = queue.stop({ graceful: true, timeoutMs }).catch((error: unknown) => logger.warn({ err: error }, 'queue stop failed'));
      void stopping.then(resolve);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });

  await queue.work(command.concurrency, (job) => reviewJob(context, job));
  logger.info({ version, concurrency: command.concurrency, failOn: command.failOn, cacheDir: clones.dir, queue: queueSettings, ...describeConfig(config) }, 'worker started');

  await stopped;
  await pool.end().catch(() => undefined);
  await Promise.all([flushSentry(), traces?.exporter.flush()]);
  logger.info({}, 'worker stopped');
  await logger.flush();
  return 0;
}

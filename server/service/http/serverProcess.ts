/**
 * `diffwise server`: the team service's HTTP process. It checks its configuration, opens
 * the PostgreSQL pool, migrates the store (always; `--migrate` migrates and exits), starts
 * the queue, listens, and logs one start line (the bound address, which parts are set,
 * never a secret) as JSON on stderr. SIGTERM or SIGINT shuts it down in order: no new
 * connections and the requests under way answered (fastify's close), then the queue, then
 * the pool; the promise resolves to 0. A second signal while that runs exits at once (1).
 */
import type { AddressInfo } from 'node:net';
import type { ServiceCommand } from '../../cli/serviceArgs';
import { cliLogLevel } from '../../observability/logSettings';
import { createLogger } from '../../observability/logger';
import { describeConfig, loadServiceConfig } from '../config';
import { ServiceError } from '../errors';
import { ReviewQueue, queueSettingsFrom } from '../queue';
import { migrateServiceStore } from '../store/migrations';
import { describeDatabaseError, openPool } from '../store/postgres';
import { ServiceStore } from '../store/serviceStore';
import { buildApp } from './app';
import { serverSettingsFrom } from './serverSettings';

/** How long a graceful stop waits for the queue's connections (the server runs no jobs). */
const QUEUE_STOP_MS = 10_000;

export async function runServer(command: Extract<ServiceCommand, { name: 'server' }>, version: string): Promise<number> {
  const env = process.env;
  const config = loadServiceConfig(env);
  if (!command.migrate && !config.webhookSecret) {
    throw new ServiceError('GITHUB_WEBHOOK_SECRET is not set: the server checks every delivery\'s X-Hub-Signature-256 against it (the secret entered in the GitHub App\'s or the webhook\'s settings)');
  }
  const settings = serverSettingsFrom(env);
  const logger = await createLogger({
    component: 'server',
    level: command.log.level === 'silent' ? 'silent' : cliLogLevel(command.log) ?? 'info',
    file: command.log.file,
    rotateSize: command.log.rotateSize,
  });
  const pool = openPool(config.databaseUrl);
  let applied: number[];
  try {
    applied = await migrateServiceStore(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw describeDatabaseError(error, config.databaseUrl);
  }
  if (command.migrate) {
    process.stdout.write(applied.length ? `applied migrations ${applied.join(', ')}\n` : 'the database is up to date: no migration to apply\n');
    await pool.end();
    return 0;
  }
  if (applied.length) logger.info({ migrations: applied }, `applied migrations ${applied.join(', ')}`);

  const queue = new ReviewQueue(config.databaseUrl, queueSettingsFrom(env), { onError: (error) => logger.error({ err: error }, 'queue error') });
  try {
    await queue.start();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw describeDatabaseError(error, config.databaseUrl);
  }
  const store = new ServiceStore(pool);
  const { app } = await buildApp({ pool, store, queue, logger, webhookSecret: config.webhookSecret!, dashboardToken: config.dashboardToken, settings });
  try {
    await app.listen({ port: command.port, host: command.host });
  } catch (error) {
    await queue.stop({ graceful: false, timeoutMs: 0 }).catch(() => undefined);
    await pool.end().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new ServiceError(`cannot listen on ${command.host}:${command.port} (${code}): choose another --port or --host`);
    throw error;
  }
  const bound = app.server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  const address = `${settings.tls ? 'https' : 'http'}://${host}:${bound.port}`;
  logger.info({ address, version, ...describeConfig(config), tls: settings.tls !== undefined, trustProxy: settings.trustProxy, webhookRateLimit: settings.webhookRateLimit }, `diffwise server listening on ${address}`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        void logger.flush().finally(() => process.exit(1));
        return;
      }
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing the requests under way');
      void (async () => {
        let code = 0;
        try {
          await app.close();
          logger.debug({}, 'HTTP closed: every request answered');
          await queue.stop({ graceful: true, timeoutMs: QUEUE_STOP_MS });
          await pool.end();
          logger.info({}, 'stopped');
        } catch (error) {
          code = 1;
          logger.error({ err: error }, 'shutdown failed');
        }
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        await logger.flush();
        resolve(code);
      })();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

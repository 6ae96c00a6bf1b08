/**
 * The server's fastify application, built from parts handed in (the pool, the store, the
 * queue, the logger, the settings), so that serverProcess.ts wires the real ones and a
 * test builds the same application on port 0 with, say, a pool whose database is gone.
 * Routes: the webhook (webhookRoute.ts), /healthz and /readyz, /metrics (prometheus.ts),
 * and the dashboard (dashboard.ts).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Pool, PoolClient } from 'pg';
import type { ReviewJob } from '../jobs';
import { SERVICE_SCHEMA_VERSION, serviceSchemaVersion } from '../store/migrations';
import type { ServiceStore } from '../store/serviceStore';
import type { Logger } from '../../observability/logger';
import { bearerToken, sameSecret } from './auth';
import { defaultWebviewDir, registerDashboard } from './dashboard';
import { ServiceMetrics, withTimeout } from './prometheus';
import { WEBHOOK_BODY_LIMIT, type ServerSettings } from './serverSettings';
import { registerWebhookRoute } from './webhookRoute';

/** What of the queue the server uses: it only adds jobs and reads their numbers. */
export interface ServerQueue {
  enqueue(job: ReviewJob, client?: PoolClient): Promise<string | null>;
  depth(): Promise<number>;
  deadLetters(): Promise<number>;
}

export interface AppParts {
  pool: Pool;
  store: ServiceStore;
  queue: ServerQueue;
  logger: Logger;
  webhookSecret: string;
  dashboardToken: string | undefined;
  settings: ServerSettings;
  /** Where the dashboard's bundle is (default: dist/webview beside the running code). */
  webviewDir?: string;
}

/** Each readiness check's bound: a hung database must not hang the probe. */
const READY_TIMEOUT_MS = 2_000;

export async function buildApp(parts: AppParts): Promise<{ app: FastifyInstance; metrics: ServiceMetrics }> {
  const { settings, logger } = parts;
  const app = Fastify({
    logger: false,
    bodyLimit: WEBHOOK_BODY_LIMIT,
    trustProxy: settings.trustProxy,
    ...(settings.tls ? { https: { cert: settings.tls.cert, key: settings.tls.key } } : {}),
    // GitHub's delivery ids and our routes are all short; a long URL is not ours.
    routerOptions: { maxParamLength: 200 },
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;
  const metrics = new ServiceMetrics(parts.store, parts.queue, (error) => logger.warn({ err: error }, 'metrics: PostgreSQL or the queue did not answer the scrape'));

  // A keep-alive connection busy when the shutdown began would otherwise hold close() until
  // its idle timeout: its last answer says the connection ends.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) logger.error({ err: error, method: request.method, url: request.url }, 'request failed');
    // 4xx from fastify itself (a body over 25 MB, a bad content length) and from the rate limit say why; a 500 says nothing of the inside.
    void reply.code(status).send({ message: status >= 500 ? 'internal error (see the server log)' : error.message });
  });

  // Only the routes that ask (the webhook) are limited: /healthz and /metrics are probed often by design.
  await app.register(rateLimit, {
    global: false,
    onExceeded: (request) => logger.warn({ ip: request.ip, url: request.url }, 'rate limit exceeded'),
  });

  await app.register(async (scope) => registerWebhookRoute(scope, {
    pool: parts.pool,
    store: parts.store,
    queue: parts.queue,
    webhookSecret: parts.webhookSecret,
    metrics,
    logger,
    rateLimit: settings.webhookRateLimit,
  }));

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const check = async (what: string, work: () => Promise<string | undefined>) => {
      try {
        const problem = await withTimeout(work(), READY_TIMEOUT_MS, what);
        return problem ? { ok: false, error: problem } : { ok: true };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    };
    const [database, queue] = await Promise.all([
      check('PostgreSQL', async () => {
        await parts.pool.query('SELECT 1');
        const version = await serviceSchemaVersion(parts.pool);
        return version === SERVICE_SCHEMA_VERSION ? undefined : `schema version ${version}, this build needs ${SERVICE_SCHEMA_VERSION} (diffwise server --migrate)`;
      }),
      check('the queue', async () => {
        await parts.queue.depth();
        return undefined;
      }),
    ]);
    const ready = database.ok && queue.ok;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks: { database, queue } });
  });

  app.get('/metrics', async (request, reply) => {
    const token = settings.metricsToken;
    if (token !== undefined) {
      const given = bearerToken(request.headers.authorization);
      if (given === undefined || !sameSecret(given, token)) {
        return reply.code(401).header('www-authenticate', 'Bearer realm="diffwise metrics"').send({ message: 'send Authorization: Bearer <DIFFWISE_METRICS_TOKEN>' });
      }
    }
    return reply.type(metrics.contentType).send(await metrics.scrape());
  });

  await app.register(async (scope) => registerDashboard(scope, {
    store: parts.store,
    token: parts.dashboardToken,
    monthlyBudgetUsd: settings.monthlyBudgetUsd,
    webviewDir: parts.webviewDir ?? defaultWebviewDir(),
    secure: settings.tls !== undefined,
  }));

  return { app, metrics };
}

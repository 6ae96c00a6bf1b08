/**
 * `POST /webhooks/github`: a GitHub delivery checked, recorded once and, when it asks
 * for a review, queued, answering within milliseconds (GitHub gives up after 10 s and
 * the issue asks for 100 ms), since the review itself is the workers' job. The body is
 * kept as the exact bytes received so that X-Hub-Signature-256 is checked over them
 * (@octokit/webhooks); the delivery's row, the pull request's new head and its job are
 * written in one transaction, so a crash leaves all three or none. A redelivery (a
 * known X-GitHub-Delivery) changes nothing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Pool, PoolClient } from 'pg';
import type { ReviewJob } from '../jobs';
import { inTransaction, type Queryable } from '../store/postgres';
import type { ServiceStore } from '../store/serviceStore';
import type { Logger } from '../../observability/logger';
import { planDelivery, type DeliveryPlan } from './githubEvents';
import type { ServiceMetrics } from './prometheus';
import { WEBHOOK_BODY_LIMIT } from './serverSettings';

export const WEBHOOK_PATH = '/webhooks/github';

export interface WebhookParts {
  pool: Pool;
  store: ServiceStore;
  queue: { enqueue(job: ReviewJob, client?: PoolClient): Promise<string | null> };
  webhookSecret: string;
  metrics: ServiceMetrics;
  logger: Logger;
  /** Deliveries per minute per source address. */
  rateLimit: number;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

export async function registerWebhookRoute(app: FastifyInstance, parts: WebhookParts): Promise<void> {
  // Loaded as an ES module: its dependency @octokit/webhooks-methods has no CommonJS entry, so
  // a require of it fails where this file is run as CommonJS (the tests); the bundle inlines both.
  const { Webhooks } = await import('@octokit/webhooks');
  const webhooks = new Webhooks({ secret: parts.webhookSecret });

  // Every body of this scope as bytes, whatever its type: the signature is over them, and a
  // form-encoded delivery (the other content type GitHub offers) is refused below by name.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.addHook('onResponse', async (_request, reply) => {
    parts.metrics.response(reply.elapsedTime / 1000, reply.statusCode);
  });

  app.post(WEBHOOK_PATH, { config: { rateLimit: { max: parts.rateLimit, timeWindow: '1 minute' } } }, async (request, reply) => {
    const event = header(request, 'x-github-event') ?? 'unknown';
    const answer = (status: number, outcome: string, body: Record<string, unknown>, fields: Record<string, unknown> = {}) => {
      parts.metrics.delivery(event, outcome);
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      parts.logger[level]({ event, delivery: header(request, 'x-github-delivery'), outcome, status, ip: request.ip, ...fields }, `webhook ${event}: ${outcome}`);
      return reply.code(status).send(body);
    };

    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = header(request, 'x-hub-signature-256');
    if (!signature) return answer(401, 'refused', { message: 'no X-Hub-Signature-256 header: set the webhook secret in GitHub to GITHUB_WEBHOOK_SECRET' });
    let valid: boolean;
    try {
      valid = await webhooks.verify(body.toString('utf8'), signature);
    } catch {
      valid = false; // a signature that is not sha256=<hex>
    }
    if (!valid) return answer(401, 'refused', { message: "X-Hub-Signature-256 does not match the body: the webhook's secret differs from GITHUB_WEBHOOK_SECRET" });

    const deliveryId = header(request, 'x-github-delivery');
    if (!deliveryId || deliveryId.length > 200) return answer(400, 'malformed', { message: 'no X-GitHub-Delivery header' });
    if (event === 'unknown') return answer(400, 'malformed', { message: 'no X-GitHub-Event header' });
    const type = header(request, 'content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) return answer(400, 'malformed', { message: `the body is ${type || 'of no type'}: set the webhook's content type to application/json` });
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return answer(400, 'malformed', { message: 'the body is not JSON' });
    }
    const plan = planDelivery(event, payload);
    if (plan.kind === 'malformed') return answer(400, 'malformed', { message: plan.reason });

    try {
      return await handle(plan, deliveryId, event, parts, answer);
    } catch (error) {
      // GitHub shows the answer in the webhook's Recent Deliveries, where it can be redelivered.
      return answer(503, 'failed', { message: 'the delivery could not be recorded; redeliver it once the database answers' }, { err: error });
    }
  });
}

type Answer = (status: number, outcome: string, body: Record<string, unknown>, fields?: Record<string, unknown>) => FastifyReply;

async function handle(plan: Exclude<DeliveryPlan, { kind: 'malformed' }>, deliveryId: string, event: string, parts: WebhookParts, answer: Answer): Promise<FastifyReply> {
  const { store } = parts;
  const record = (client: Queryable, outcome: string) => store.recordDelivery(client, { id: deliveryId, event, ...plan.summary, outcome });
  const where = { repository: plan.summary.repository, pull: plan.summary.pullNumber, action: plan.summary.action };
  const duplicate = () => answer(202, 'duplicate', { duplicate: true }, where);

  if (plan.kind === 'ignore') {
    const fresh = await record(parts.pool, 'ignored');
    return fresh ? answer(202, 'ignored', { ignored: plan.reason }, where) : duplicate();
  }
  const result = await inTransaction(parts.pool, async (client): Promise<{ duplicate: true } | { jobId: string | null; seq: number }> => {
    if (plan.kind === 'close') {
      if (!(await record(client, 'closed'))) return { duplicate: true };
      await store.setPullState(client, plan.repository, plan.number, 'closed');
      return { jobId: null, seq: 0 };
    }
    if (!(await record(client, plan.kind === 'track' ? 'draft' : 'queued'))) return { duplicate: true };
    const state = await store.requestReview(client, plan.event);
    if (plan.kind === 'track') return { jobId: null, seq: state.seq };
    const job: ReviewJob = { repository: plan.event.repository, number: plan.event.number, installationId: plan.event.installationId, deliveryId, reason: plan.reason };
    return { jobId: await parts.queue.enqueue(job, client), seq: state.seq };
  });
  if ('duplicate' in result) return duplicate();
  if (plan.kind === 'close') return answer(202, 'closed', { closed: true }, where);
  if (plan.kind === 'track') return answer(202, 'draft', { draft: true, message: 'a draft: recorded, reviewed once it is ready for review' }, where);
  // null: a job already waits for this pull request, and it will review the newest head.
  return answer(202, result.jobId ? 'queued' : 'coalesced', { queued: result.jobId }, { ...where, jobId: result.jobId, seq: result.seq });
}

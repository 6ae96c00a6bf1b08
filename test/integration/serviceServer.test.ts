/**
 * `diffwise server` on a real PostgreSQL (a throw-away cluster) and real HTTP: signed
 * GitHub deliveries (test/helpers/webhookSender.ts) refused, ignored, recorded once and
 * queued (one waiting job per pull request, the newest head kept), the health checks,
 * Prometheus' text, the dashboard's sign-in and its JSON per repository, the rate limit,
 * https with a self-signed certificate, and the built CLI as a process that starts, logs
 * its address and stops on SIGTERM.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import type { ReviewRun } from '../../shared/review';
import { buildApp, type AppParts } from '../../server/service/http/app';
import { serverSettingsFrom, type ServerSettings } from '../../server/service/http/serverSettings';
import { pullRequestKey } from '../../server/service/jobs';
import { REVIEW_QUEUE, ReviewQueue, queueSettingsFrom } from '../../server/service/queue';
import { migrateServiceStore, SERVICE_MIGRATIONS } from '../../server/service/store/migrations';
import { openPool } from '../../server/service/store/postgres';
import { ServiceStore, type ReviewRecord } from '../../server/service/store/serviceStore';
import { createLogger, type Logger } from '../../server/observability/logger';
import { freshDatabase } from '../helpers/postgres';
import { issueCommentPayload, pullRequestPayload, signBody, webhookSender, type WebhookSender } from '../helpers/webhookSender';

const SECRET = 'It\'s a Secret to Everybody';
const DASHBOARD_TOKEN = 'dashboard-token-0123456789abcdef';
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const sha = (n: number) => n.toString(16).padStart(40, '0');
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: () => Record<string, unknown>;
}

function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; ca?: Buffer } = {}): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(target, { method: options.method ?? 'GET', headers: options.headers, ...(options.ca ? { ca: options.ca } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const reviewRun = (id: string, startedAt: string, costUsd: number): ReviewRun => ({
  id, scope: 'branch', base: sha(1), mergeBase: sha(1), head: sha(2), status: 'ok', startedAt, durationMs: 1500, files: 2, hunks: 4,
  cacheHits: 1, llmCalls: 1, tokens: { prompt: 1000, completion: 200 }, costUsd, errors: [], notices: [], skipped: [], llm: null, learning: { suppressed: 0, demoted: 0 },
});

const reviewRecord = (id: string, repository: string, startedAt: string, costUsd: number): ReviewRecord => ({
  id, repository, number: 1, headSha: sha(Number.parseInt(id.replace(/\D/g, '') || '9', 10) + 100), baseSha: sha(1), status: 'published', run: reviewRun(id, startedAt, costUsd),
  findings: 2, conclusion: 'success', checkRunId: 7, reviewUrl: null, requestedAt: startedAt, startedAt, finishedAt: startedAt, waitMs: 1500, runMs: 1500,
  attempt: 1, jobId: null, worker: 'test', error: null, findingsByRule: { 'debug-leftover': 2 },
});

describe('diffwise server (PostgreSQL, HTTP)', function () {
  this.timeout(180_000);
  let url: string;
  let pool: Pool;
  let store: ServiceStore;
  let queue: ReviewQueue;
  let logger: Logger;
  const apps: FastifyInstance[] = [];
  let base: string;
  let sender: WebhookSender;

  async function start(overrides: Partial<Omit<AppParts, 'settings'>> & { settings?: Partial<ServerSettings> } = {}): Promise<{ app: FastifyInstance; base: string }> {
    const { app } = await buildApp({
      pool, store, queue, logger, webhookSecret: SECRET, dashboardToken: DASHBOARD_TOKEN,
      ...overrides,
      settings: { ...serverSettingsFrom({}), ...overrides.settings },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    apps.push(app);
    const { port } = app.server.address() as AddressInfo;
    return { app, base: `${overrides.settings?.tls ? 'https' : 'http'}://127.0.0.1:${port}` };
  }

  const waitingJobs = async (repository: string, number: number) => {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry')`, [REVIEW_QUEUE, pullRequestKey(repository, number)]);
    return rows[0]!.n;
  };
  const deliveries = async (id: string) => (await pool.query('SELECT * FROM diffwise.deliveries WHERE id = $1', [id])).rows;

  before(async () => {
    url = await freshDatabase();
    pool = openPool(url);
    await migrateServiceStore(pool);
    store = new ServiceStore(pool);
    queue = new ReviewQueue(url, queueSettingsFrom({}), { supervise: false });
    await queue.start();
    logger = await createLogger({ component: 'server', level: 'silent' });
    ({ base } = await start());
    sender = webhookSender({ url: `${base}/webhooks/github`, secret: SECRET });
  });

  after(async () => {
    for (const app of apps) await app.close();
    await queue?.stop({ graceful: false, timeoutMs: 1000 });
    await pool?.end();
  });

  it('refuses a delivery whose signature is wrong or missing (401), recording and queueing nothing', async () => {
    const payload = pullRequestPayload({ action: 'opened', repository: 'acme/app', number: 1, headSha: sha(11) });
    const wrong = await sender.send('pull_request', payload, { secret: 'not the secret' });
    assert.equal(wrong.status, 401);
    assert.match(String((wrong.body as { message: string }).message), /does not match/);
    const none = await sender.send('pull_request', payload, { secret: null });
    assert.equal(none.status, 401);
    // The signature is over the exact bytes: the same JSON re-spaced is refused.
    const signedOther = await sender.send('pull_request', payload, { rawBody: JSON.stringify(payload, null, 2), headers: { 'X-Hub-Signature-256': signBody(SECRET, JSON.stringify(payload)) } });
    assert.equal(signedOther.status, 401);
    assert.equal((await deliveries(wrong.deliveryId)).length, 0);
    assert.equal(await waitingJobs('acme/app', 1), 0);
    assert.equal(await store.pullRequest('acme/app', 1), undefined);
  });

  it('refuses a body that is not JSON or lacks what a pull_request has (400)', async () => {
    const notJson = await sender.send('pull_request', null, { rawBody: '{"action": "opened",' });
    assert.equal(notJson.status, 400);
    assert.match(String((notJson.body as { message: string }).message), /not JSON/);
    const payload = pullRequestPayload({ action: 'opened', repository: 'acme/app', number: 1, headSha: sha(11) });
    delete (payload.pull_request as Record<string, unknown>).head;
    const missing = await sender.send('pull_request', payload);
    assert.equal(missing.status, 400);
    assert.match(String((missing.body as { message: string }).message), /pull_request\.head/);
    const form = await sender.send('pull_request', null, { rawBody: 'payload=%7B%7D', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 400);
    assert.match(String((form.body as { message: string }).message), /application\/json/);
    assert.equal(await waitingJobs('acme/app', 1), 0);
  });

  it('answers an event it does not act on with 202 ignored, recorded as such', async () => {
    const push = await sender.send('push', { ref: 'refs/heads/main', repository: { full_name: 'acme/app' } });
    assert.equal(push.status, 202);
    assert.deepEqual(push.body, { ignored: 'event push is not one Diffwise acts on' });
    assert.equal((await deliveries(push.deliveryId))[0].outcome, 'ignored');
    const labeled = await sender.send('pull_request', pullRequestPayload({ action: 'labeled', repository: 'acme/app', number: 1, headSha: sha(11) }));
    assert.equal(labeled.status, 202);
    assert.match(String((labeled.body as { ignored: string }).ignored), /labeled/);
    const ping = await sender.send('ping', { zen: 'Design for failure.', hook_id: 421337 });
    assert.equal(ping.status, 202);
    assert.equal(await waitingJobs('acme/app', 1), 0);
  });

  it('records a delivery once: its redelivery is a no-op (one row, one job)', async () => {
    const payload = pullRequestPayload({ action: 'opened', repository: 'acme/app', number: 2, headSha: sha(21), updatedAt: at(1), cloneUrl: 'file:///srv/acme/app.git' });
    const first = await sender.send('pull_request', payload);
    assert.equal(first.status, 202);
    assert.equal(typeof (first.body as { queued: unknown }).queued, 'string');
    const again = await sender.send('pull_request', payload, { deliveryId: first.deliveryId });
    assert.equal(again.status, 202);
    assert.deepEqual(again.body, { duplicate: true });
    assert.equal((await deliveries(first.deliveryId)).length, 1);
    assert.equal(await waitingJobs('acme/app', 2), 1);
    const state = await store.pullRequest('acme/app', 2);
    assert.equal(state?.seq, 1);
    assert.equal(state?.headSha, sha(21));
    assert.equal(state?.cloneUrl, 'file:///srv/acme/app.git');
    assert.equal(state?.installationId, 4242);
  });

  it('a burst of pushes on one pull request: one waiting job, the newest head, an older delivery arriving last changes nothing', async () => {
    const pushes = Array.from({ length: 10 }, (_, i) => pullRequestPayload({ action: 'synchronize', repository: 'acme/app', number: 3, headSha: sha(300 + i), updatedAt: at(10 + i) }));
    // All at once, in a shuffled order: GitHub does not promise the order either.
    const shuffled = [3, 9, 0, 5, 1, 8, 2, 7, 4, 6].map((i) => pushes[i]!);
    const answers = await Promise.all(shuffled.map((payload) => sender.send('pull_request', payload)));
    assert.deepEqual(answers.map((answer) => answer.status), Array(10).fill(202));
    const queued = answers.filter((answer) => (answer.body as { queued: string | null }).queued !== null);
    assert.equal(queued.length, 1, 'exactly one delivery queued a job, the others found it waiting');
    assert.equal(await waitingJobs('acme/app', 3), 1);
    let state = await store.pullRequest('acme/app', 3);
    assert.equal(state?.seq, 10);
    assert.equal(state?.headSha, sha(309));
    const late = await sender.send('pull_request', pullRequestPayload({ action: 'synchronize', repository: 'acme/app', number: 3, headSha: sha(399), updatedAt: at(5) }));
    assert.equal(late.status, 202);
    state = await store.pullRequest('acme/app', 3);
    assert.equal(state?.seq, 11);
    assert.equal(state?.headSha, sha(309), 'the head does not move back');
    assert.ok(await waitingJobs('acme/app', 3) <= 1);
  });

  it('/diffwise review from a collaborator queues a review; from anyone else it is ignored', async () => {
    const none = await sender.send('issue_comment', issueCommentPayload({ repository: 'acme/app', number: 4, body: '/diffwise review', authorAssociation: 'NONE' }));
    assert.equal(none.status, 202);
    assert.match(String((none.body as { ignored: string }).ignored), /only an owner, member or collaborator/);
    assert.equal(await waitingJobs('acme/app', 4), 0);
    const collaborator = await sender.send('issue_comment', issueCommentPayload({ repository: 'acme/app', number: 4, body: '/diffwise review', authorAssociation: 'COLLABORATOR' }));
    assert.equal(collaborator.status, 202);
    assert.equal(typeof (collaborator.body as { queued: unknown }).queued, 'string');
    assert.equal(await waitingJobs('acme/app', 4), 1);
    const { rows } = await pool.query(`SELECT data FROM pgboss.job WHERE name = $1 AND singleton_key = $2`, [REVIEW_QUEUE, pullRequestKey('acme/app', 4)]);
    assert.deepEqual(rows[0].data, { repository: 'acme/app', number: 4, installationId: 4242, deliveryId: collaborator.deliveryId, reason: 'command' });
    assert.equal((await store.pullRequest('acme/app', 4))?.headSha, null, 'the worker asks GitHub for the head');
  });

  it('closed records the state without a job; a draft is recorded and reviewed once ready', async () => {
    const opened = await sender.send('pull_request', pullRequestPayload({ action: 'opened', repository: 'acme/app', number: 5, headSha: sha(51), draft: true, updatedAt: at(1) }));
    assert.equal(opened.status, 202);
    assert.equal((opened.body as { draft: boolean }).draft, true);
    assert.equal(await waitingJobs('acme/app', 5), 0);
    assert.equal((await store.pullRequest('acme/app', 5))?.draft, true);
    const ready = await sender.send('pull_request', pullRequestPayload({ action: 'ready_for_review', repository: 'acme/app', number: 5, headSha: sha(51), updatedAt: at(2) }));
    assert.equal(typeof (ready.body as { queued: unknown }).queued, 'string');
    assert.equal((await store.pullRequest('acme/app', 5))?.draft, false);
    const closed = await sender.send('pull_request', pullRequestPayload({ action: 'closed', repository: 'acme/app', number: 5, headSha: sha(51), updatedAt: at(3) }));
    assert.equal(closed.status, 202);
    assert.deepEqual(closed.body, { closed: true });
    assert.equal((await store.pullRequest('acme/app', 5))?.state, 'closed');
    assert.equal(await waitingJobs('acme/app', 5), 1, 'the job queued when it was ready stays; the worker sees the state closed');
    assert.equal((await deliveries(closed.deliveryId))[0].outcome, 'closed');
  });

  it('answers 200 deliveries within 100 ms at the 99th percentile', async () => {
    const percentiles = (times: number[]) => {
      const sorted = [...times].sort((a, b) => a - b);
      const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
      return { p50: p(0.5), p95: p(0.95), p99: p(0.99), max: sorted[sorted.length - 1]! };
    };
    const say = (what: string, figures: ReturnType<typeof percentiles>) =>
      console.log(`      ${what}: p50 ${figures.p50.toFixed(1)} ms, p95 ${figures.p95.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, max ${figures.max.toFixed(1)} ms`);
    const delivery = (i: number) => pullRequestPayload({ action: 'synchronize', repository: 'acme/load', number: 1 + (i % 50), headSha: sha(10_000 + i), updatedAt: at(i % 60) });
    // Warmed up first, as a running server is: the first requests also compile the routes' code.
    await Promise.all(Array.from({ length: 10 }, (_, i) => sender.send('pull_request', pullRequestPayload({ action: 'opened', repository: 'acme/warm', number: i + 1, headSha: sha(i) }))));
    // One after another: the server's own answer time (the sender runs in this process too).
    const sequential: number[] = [];
    for (let i = 0; i < 200; i++) {
      const answer = await sender.send('pull_request', delivery(i));
      assert.equal(answer.status, 202);
      sequential.push(answer.ms);
    }
    // Ten at a time, as a busy organisation's events arrive: the answer time with the waiting.
    const concurrent: number[] = [];
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => sender.send('pull_request', delivery(200 + round * 10 + i))));
      for (const answer of answers) {
        assert.equal(answer.status, 202);
        concurrent.push(answer.ms);
      }
    }
    const one = percentiles(sequential);
    say('200 deliveries, one at a time', one);
    say('200 deliveries, 10 at a time', percentiles(concurrent));
    assert.ok(one.p99 < 100, `p99 ${one.p99} ms`);
  });

  it('limits the webhook per source address (429 with Retry-After), by X-Forwarded-For only behind a trusted proxy', async () => {
    const limited = await start({ settings: { webhookRateLimit: 3 } });
    const limitedSender = webhookSender({ url: `${limited.base}/webhooks/github`, secret: SECRET });
    const ping = () => limitedSender.send('ping', { zen: 'Speak like a human.' });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await ping()).status);
    assert.deepEqual(statuses, [202, 202, 202, 429, 429]);
    const refused = await ping();
    assert.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After says when to come back');
    // Not behind a proxy: a forged X-Forwarded-For does not escape the limit.
    assert.equal((await limitedSender.send('ping', {}, { headers: { 'X-Forwarded-For': '203.0.113.9' } })).status, 429);
    // The health checks are not limited.
    assert.equal((await request(`${limited.base}/healthz`)).status, 200);

    const proxied = await start({ settings: { webhookRateLimit: 2, trustProxy: '127.0.0.1' } });
    const proxiedSender = webhookSender({ url: `${proxied.base}/webhooks/github`, secret: SECRET });
    const from = (ip: string) => proxiedSender.send('ping', {}, { headers: { 'X-Forwarded-For': ip } });
    assert.deepEqual([(await from('198.51.100.1')).status, (await from('198.51.100.1')).status, (await from('198.51.100.1')).status], [202, 202, 429]);
    assert.equal((await from('198.51.100.2')).status, 202, 'another source has its own allowance');
    // Only the proxy is trusted: what a client wrote before the address the proxy saw is not believed.
    assert.equal((await from('192.0.2.77, 198.51.100.1')).status, 429);
  });

  it('/healthz is alive; /readyz is ready with the database and the queue, 503 naming the database once it is gone', async () => {
    assert.deepEqual((await request(`${base}/healthz`)).json(), { status: 'ok' });
    const ready = await request(`${base}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { database: { ok: true }, queue: { ok: true } } });

    // A pool whose server is gone: a port nothing listens on.
    const closedPort = await new Promise<number>((resolve) => {
      const server = http.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const deadPool = openPool(`postgres://diffwise@127.0.0.1:${closedPort}/gone`, { connectionTimeoutMillis: 1000 });
    try {
      const gone = await start({ pool: deadPool, store: new ServiceStore(deadPool) });
      const started = Date.now();
      const answer = await request(`${gone.base}/readyz`);
      assert.equal(answer.status, 503);
      const body = answer.json() as { status: string; checks: { database: { ok: boolean; error: string }; queue: { ok: boolean } } };
      assert.equal(body.status, 'unavailable');
      assert.equal(body.checks.database.ok, false);
      assert.match(body.checks.database.error, /ECONNREFUSED|connect/);
      assert.equal(body.checks.queue.ok, true);
      assert.ok(Date.now() - started < 3_000, 'bounded by the 2 s timeout');
      // And a delivery then is a 503 that says to redeliver, not a 500 or a hang.
      const delivery = await webhookSender({ url: `${gone.base}/webhooks/github`, secret: SECRET }).send('pull_request', pullRequestPayload({ action: 'opened', repository: 'acme/app', number: 9, headSha: sha(9) }));
      assert.equal(delivery.status, 503);
      assert.match(String((delivery.body as { message: string }).message), /redeliver/);
      // /metrics still answers, without the shared figures.
      const metrics = await request(`${gone.base}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(metrics.text, /^diffwise_store_up 0$/m);
    } finally {
      await deadPool.end();
    }
  });

  it('/metrics: the process figures and the shared ones from PostgreSQL and the queue', async () => {
    await store.recordReview(reviewRecord('m1', 'acme/one', '2026-12-01T09:00:00.000Z', 0.25));
    await store.recordReview(reviewRecord('m2', 'acme/two', '2026-12-01T09:30:00.000Z', 0.5));
    await store.saveRateLimit('core', { remaining: 4321, limit: 5000, resetAt: '2026-12-01T11:00:00.000Z' });
    const answer = await request(`${base}/metrics`);
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = answer.text;
    for (const name of ['diffwise_process_cpu_seconds_total', 'diffwise_nodejs_heap_size_used_bytes', 'diffwise_webhook_response_seconds_bucket', 'diffwise_queue_dead_letters 0']) assert.ok(text.includes(name), name);
    assert.match(text, /^diffwise_webhook_deliveries_total\{event="pull_request",outcome="queued"\} \d+$/m);
    assert.match(text, /^diffwise_webhook_deliveries_total\{event="pull_request",outcome="refused"\} 3$/m);
    assert.match(text, /^diffwise_webhook_deliveries_total\{event="push",outcome="ignored"\} 1$/m);
    assert.match(text, /^diffwise_queue_depth [1-9]\d*$/m);
    assert.match(text, /^diffwise_reviews_total\{status="published"\} 2$/m);
    assert.match(text, /^diffwise_reviews_total\{status="failed"\} 0$/m);
    assert.match(text, /^# TYPE diffwise_review_wait_seconds histogram$/m);
    assert.match(text, /^diffwise_review_wait_seconds_bucket\{le="1"\} 0$/m);
    assert.match(text, /^diffwise_review_wait_seconds_bucket\{le="2"\} 2$/m);
    assert.match(text, /^diffwise_review_wait_seconds_bucket\{le="\+Inf"\} 2$/m);
    assert.match(text, /^diffwise_review_wait_seconds_sum 3$/m);
    assert.match(text, /^diffwise_review_run_seconds_count 2$/m);
    assert.match(text, /^diffwise_llm_tokens_total\{kind="prompt"\} 2000$/m);
    assert.match(text, /^diffwise_llm_tokens_total\{kind="completion"\} 400$/m);
    assert.match(text, /^diffwise_llm_cost_usd_total 0\.75$/m);
    assert.match(text, /^diffwise_github_rate_limit_remaining\{resource="core"\} 4321$/m);
    assert.match(text, /^diffwise_store_up 1$/m);

    const guarded = await start({ settings: { metricsToken: 'scrape-me' } });
    assert.equal((await request(`${guarded.base}/metrics`)).status, 401);
    assert.equal((await request(`${guarded.base}/metrics`, { headers: { authorization: 'Bearer nope' } })).status, 401);
    assert.equal((await request(`${guarded.base}/metrics`, { headers: { authorization: 'Bearer scrape-me' } })).status, 200);
  });

  it('the dashboard: a sign-in page without the token, the cookie after signing in, a wrong token refused, never open', async () => {
    const anonymous = await request(`${base}/`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.text, /<form method="post" action="\/login">/);
    const csp = String(anonymous.headers['content-security-policy']);
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'"]) assert.ok(csp.includes(directive), directive);
    assert.equal((await request(`${base}/api/metrics`)).status, 401);

    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const wrong = await request(`${base}/login`, { method: 'POST', headers: form, body: 'token=guess' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /not the dashboard token/);
    assert.equal(wrong.headers['set-cookie'], undefined);

    const signIn = await request(`${base}/login`, { method: 'POST', headers: form, body: `token=${encodeURIComponent(DASHBOARD_TOKEN)}` });
    assert.equal(signIn.status, 303);
    assert.equal(signIn.headers.location, '/');
    const setCookie = String(signIn.headers['set-cookie']);
    assert.match(setCookie, /^diffwise_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\/$/);
    assert.ok(!setCookie.includes(DASHBOARD_TOKEN), 'the cookie is not the token');
    const cookie = setCookie.split(';')[0]!;

    const page = await request(`${base}/?repo=acme/one`, { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(page.text, /<option value="">All repositories<\/option>/);
    assert.match(page.text, /<option value="acme\/one" selected>acme\/one<\/option>/);
    assert.ok(page.text.indexOf('/assets/shim.js') < page.text.indexOf('/assets/metrics.js'), 'the shim before the panel');
    assert.ok(!/<script>|<style>|style="/.test(page.text), 'no inline script or style');
    assert.equal((await request(`${base}/`, { headers: { cookie: 'diffwise_session=forged' } })).status, 401);

    for (const [file, type] of [['shim.js', /javascript/], ['theme.css', /css/], ['metrics.js', /javascript/], ['metrics.css', /css/], ['codicon.css', /css/], ['codicon.ttf', /font/]] as const) {
      const asset = await request(`${base}/assets/${file}`);
      assert.equal(asset.status, 200, file);
      assert.match(String(asset.headers['content-type']), type);
    }
    assert.equal((await request(`${base}/assets/..%2Fcli.js`)).status, 404);
    const theme = (await request(`${base}/assets/theme.css`)).text;
    assert.match(theme, /prefers-color-scheme: dark/);
    for (const variable of ['--vscode-charts-blue', '--vscode-foreground', '--vscode-editor-background', '--vscode-button-background']) assert.ok(theme.includes(variable), variable);

    // Guessing through the form: ten tries a minute per source, then 429.
    const guarded = await start();
    const tries = [];
    for (let i = 0; i < 11; i++) tries.push((await request(`${guarded.base}/login`, { method: 'POST', headers: form, body: `token=guess${i}` })).status);
    assert.deepEqual(tries, [...Array(10).fill(401), 429]);

    const off = await start({ dashboardToken: undefined });
    const offPage = await request(`${off.base}/`);
    assert.equal(offPage.status, 404);
    assert.match(offPage.text, /set DIFFWISE_DASHBOARD_TOKEN/);
    assert.equal((await request(`${off.base}/api/metrics`, { headers: { authorization: 'Bearer anything' } })).status, 404);
  });

  it('/api/metrics is the metrics document, of all repositories or of one', async () => {
    const bearer = { authorization: `Bearer ${DASHBOARD_TOKEN}` };
    const all = (await request(`${base}/api/metrics`, { headers: bearer })).json() as { reviews: { total: number }; llm: { costUsd: number; monthlyBudgetUsd: number | null }; repositories: string[] };
    assert.equal(all.reviews.total, 2);
    assert.equal(all.llm.costUsd, 0.75);
    assert.equal(all.llm.monthlyBudgetUsd, null);
    assert.ok(all.repositories.includes('acme/one') && all.repositories.includes('acme/two') && all.repositories.includes('acme/app'));
    // The noisiest rules: the findings by rule the workers recorded, all repositories together.
    assert.equal((all as unknown as { rules: Array<{ ruleId: string; findings: number }> }).rules.find((rule) => rule.ruleId === 'debug-leftover')?.findings, 4);
    const one = (await request(`${base}/api/metrics?repo=acme/one`, { headers: bearer })).json() as { reviews: { total: number }; llm: { costUsd: number } };
    assert.equal(one.reviews.total, 1);
    assert.equal(one.llm.costUsd, 0.25);
    const since = (await request(`${base}/api/metrics?since=2026-12-01T09:15:00Z`, { headers: bearer })).json() as { reviews: { total: number } };
    assert.equal(since.reviews.total, 1);
    assert.equal((await request(`${base}/api/metrics?repo=not-a-repo`, { headers: bearer })).status, 400);
    assert.equal((await request(`${base}/api/metrics?since=yesterday`, { headers: bearer })).status, 400);
    // The Last review section: the newest recorded spans, of the repository asked for.
    const trace = { runId: 't1', traceId: 'a'.repeat(32), startedAt: '2026-12-01T09:40:00.000Z', durationMs: 420, status: 'ok' as const, spans: [
      { spanId: 'b'.repeat(16), parentSpanId: null, name: 'review', startMs: 0, durationMs: 420, status: 'ok' as const, attributes: {} },
      { spanId: 'c'.repeat(16), parentSpanId: 'b'.repeat(16), name: 'diff', startMs: 5, durationMs: 40, status: 'ok' as const, attributes: {} },
    ] };
    await store.recordReview({ ...reviewRecord('t1', 'acme/two', '2026-12-01T09:40:00.000Z', 0), trace });
    const traced = (await request(`${base}/api/metrics?repo=acme/two`, { headers: bearer })).json() as { lastTrace: { traceId: string; spans: unknown[] } | null };
    assert.equal(traced.lastTrace?.traceId, 'a'.repeat(32));
    assert.equal(traced.lastTrace?.spans.length, 2);
    assert.equal(((await request(`${base}/api/metrics?repo=acme/one`, { headers: bearer })).json() as { lastTrace: unknown }).lastTrace, null);

    // The Errors section: a job that failed before its review, grouped as diffwise errors groups.
    for (const id of ['f1', 'f2']) {
      await store.recordReview({ ...reviewRecord(id, 'acme/one', '2026-12-01T10:00:00.000Z', 0), status: 'failed', run: null, conclusion: 'neutral', error: `cannot fetch file:///srv/${id}.git: ECONNREFUSED` });
    }
    const failing = (await request(`${base}/api/metrics?repo=acme/one`, { headers: bearer })).json() as { errors: Array<{ stage: string; errorClass: string; count: number; message: string }> };
    assert.deepEqual(failing.errors.map(({ stage, errorClass, count, message }) => ({ stage, errorClass, count, message })), [{ stage: 'job', errorClass: 'JobError', count: 2, message: 'cannot fetch <url> ECONNREFUSED' }]);
    const budgeted = await start({ settings: { monthlyBudgetUsd: 20 } });
    assert.equal(((await request(`${budgeted.base}/api/metrics`, { headers: bearer })).json() as { llm: { monthlyBudgetUsd: number } }).llm.monthlyBudgetUsd, 20);
  });

  it('serves https with certificate files (a self-signed one), the cookie then Secure', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
      const settings = serverSettingsFrom({ DIFFWISE_TLS_CERT_FILE: path.join(dir, 'cert.pem'), DIFFWISE_TLS_KEY_FILE: path.join(dir, 'key.pem') });
      const secure = await start({ settings });
      assert.match(secure.base, /^https:/);
      const ca = fs.readFileSync(path.join(dir, 'cert.pem'));
      assert.equal((await request(`${secure.base}/healthz`, { ca })).status, 200);
      const delivery = await webhookSender({ url: `${secure.base}/webhooks/github`, secret: SECRET, ca }).send('pull_request', pullRequestPayload({ action: 'opened', repository: 'acme/tls', number: 1, headSha: sha(71) }));
      assert.equal(delivery.status, 202);
      const signIn = await request(`${secure.base}/login`, { method: 'POST', ca, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${DASHBOARD_TOKEN}` });
      assert.match(String(signIn.headers['set-cookie']), /; Secure$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('as a process (dist/cli.js)', () => {
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    before(function () {
      if (!fs.existsSync(cli)) this.skip();
    });

    it('--migrate applies the migrations and exits; without GITHUB_WEBHOOK_SECRET or a database it says so in one line (exit 2)', async () => {
      const fresh = await freshDatabase();
      const env = { ...process.env, DATABASE_URL: fresh, GITHUB_WEBHOOK_SECRET: '' };
      const migrate = spawnSyncCli(['server', '--migrate'], env);
      assert.equal(migrate.code, 0, migrate.stderr);
      assert.equal(migrate.stdout, `applied migrations ${SERVICE_MIGRATIONS.map((migration) => migration.version).join(', ')}\n`);
      assert.equal(spawnSyncCli(['server', '--migrate'], env).stdout, 'the database is up to date: no migration to apply\n');
      const noSecret = spawnSyncCli(['server', '--port', '0'], env);
      assert.equal(noSecret.code, 2);
      assert.match(noSecret.stderr, /^diffwise: GITHUB_WEBHOOK_SECRET is not set[^\n]*\n$/);
      const noDatabase = spawnSyncCli(['server', '--port', '0'], { ...env, GITHUB_WEBHOOK_SECRET: SECRET, DATABASE_URL: 'postgres://diffwise:pw@127.0.0.1:1/none' });
      assert.equal(noDatabase.code, 2);
      assert.match(noDatabase.stderr, /^diffwise: cannot reach PostgreSQL at 127\.0\.0\.1:1\/none \(ECONNREFUSED\)[^\n]*\n$/);
      assert.ok(!noDatabase.stderr.includes(':pw@'), 'no password in the message');
    });

    /** The built CLI's server on port 0, once its start line has said where it listens. */
    async function startProcess(): Promise<{ child: ReturnType<typeof spawn>; address: string; stderr: () => string; exited: Promise<number | null> }> {
      const child = spawn(process.execPath, [cli, 'server', '--port', '0'], {
        env: { ...process.env, DATABASE_URL: url, GITHUB_WEBHOOK_SECRET: SECRET, DIFFWISE_DASHBOARD_TOKEN: DASHBOARD_TOKEN, DIFFWISE_LOG_LEVEL: 'debug' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const address = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start line: ${stderr}`)), 30_000);
        child.stderr!.on('data', () => {
          const line = stderr.split('\n').find((text) => text.includes('"address"'));
          if (line) {
            clearTimeout(timer);
            resolve((JSON.parse(line) as { address: string }).address);
          }
        });
        void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      return { child, address, stderr: () => stderr, exited };
    }

    it('starts on port 0, logs its address (no secret) and exits 0 on SIGTERM within seconds', async () => {
      const { child, address, stderr, exited } = await startProcess();
      try {
        assert.match(address, /^http:\/\/127\.0\.0\.1:\d+$/);
        const start = JSON.parse(stderr().split('\n').find((text) => text.includes('"address"'))!) as Record<string, unknown>;
        assert.equal(start.component, 'server');
        assert.equal(start.webhookSecret, true);
        assert.equal(start.dashboard, true);
        assert.ok(!stderr().includes(SECRET) && !stderr().includes(DASHBOARD_TOKEN), 'no secret in the log');
        assert.equal((await request(`${address}/healthz`)).status, 200);
        const delivery = await webhookSender({ url: `${address}/webhooks/github`, secret: SECRET }).send('pull_request', pullRequestPayload({ action: 'opened', repository: 'acme/process', number: 1, headSha: sha(81) }));
        assert.equal(delivery.status, 202);
        const stoppedAt = Date.now();
        child.kill('SIGTERM');
        assert.equal(await exited, 0, stderr());
        assert.ok(Date.now() - stoppedAt < 5_000, `stopped in ${Date.now() - stoppedAt} ms`);
        assert.match(stderr(), /"msg":"stopped"/);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });

    it('SIGTERM answers the delivery under way before exiting 0; a second signal exits at once with 1', async () => {
      const payload = Buffer.from(JSON.stringify(pullRequestPayload({ action: 'opened', repository: 'acme/process', number: 2, headSha: sha(82) })));
      const halfSent = (address: string) => {
        const target = new URL(`${address}/webhooks/github`);
        const req = http.request(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(payload.length), 'x-github-event': 'pull_request', 'x-github-delivery': `inflight-${Date.now()}`, 'x-hub-signature-256': signBody(SECRET, payload) },
        });
        const answered = new Promise<number>((resolve, reject) => {
          req.on('response', (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          });
          req.on('error', reject);
        });
        req.write(payload.subarray(0, 10));
        return { finish: () => req.end(payload.subarray(10)), answered };
      };

      const first = await startProcess();
      try {
        const inFlight = halfSent(first.address);
        await new Promise((resolve) => setTimeout(resolve, 200));
        first.child.kill('SIGTERM');
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(first.child.exitCode, null, 'still answering the request under way');
        inFlight.finish();
        assert.equal(await inFlight.answered, 202);
        assert.equal(await first.exited, 0, first.stderr());
      } finally {
        if (first.child.exitCode === null) first.child.kill('SIGKILL');
      }

      const second = await startProcess();
      try {
        const inFlight = halfSent(second.address);
        inFlight.answered.catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 200));
        second.child.kill('SIGTERM');
        await new Promise((resolve) => setTimeout(resolve, 300));
        second.child.kill('SIGINT');
        assert.equal(await second.exited, 1, second.stderr());
        assert.match(second.stderr(), /second signal: exiting now/);
      } finally {
        if (second.child.exitCode === null) second.child.kill('SIGKILL');
      }
    });
  });
});

function spawnSyncCli(args: string[], env: NodeJS.ProcessEnv): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

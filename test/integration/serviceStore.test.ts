/**
 * The team service's store and queue on a real PostgreSQL (a throw-away cluster):
 * migrations once and in order, the newest head winning whatever order deliveries
 * arrive in, a head published once, the shared cache, and the queue's one waiting
 * job per pull request, enqueued in the delivery's transaction or not at all.
 */
import * as assert from 'node:assert/strict';
import type { Pool } from 'pg';
import type { ReviewRun } from '../../shared/review';
import { loadServiceConfig, describeConfig, databaseLabel } from '../../server/service/config';
import { ReviewQueue, queueSettingsFrom } from '../../server/service/queue';
import { migrateServiceStore, serviceSchemaVersion, SERVICE_SCHEMA_VERSION } from '../../server/service/store/migrations';
import { describeDatabaseError, inTransaction, openPool } from '../../server/service/store/postgres';
import { ServiceStore, type ReviewRecord } from '../../server/service/store/serviceStore';
import { freshDatabase } from '../helpers/postgres';

const run = (id: string, startedAt: string, costUsd = 0): ReviewRun => ({
  id, scope: 'branch', base: 'a'.repeat(40), mergeBase: 'a'.repeat(40), head: 'b'.repeat(40), status: 'ok', startedAt, durationMs: 1200, files: 2, hunks: 3,
  cacheHits: 0, llmCalls: 0, tokens: { prompt: 0, completion: 0 }, costUsd, errors: [], notices: [], skipped: [], llm: null, learning: { suppressed: 0, demoted: 0 },
});

const review = (overrides: Partial<ReviewRecord>): ReviewRecord => ({
  id: 'r1', repository: 'acme/app', number: 1, headSha: 'b'.repeat(40), baseSha: 'a'.repeat(40), status: 'published', run: null, findings: 0, conclusion: 'success',
  checkRunId: null, reviewUrl: null, requestedAt: null, startedAt: '2026-12-01T10:00:00.000Z', finishedAt: '2026-12-01T10:00:02.000Z', waitMs: 100, runMs: 2000,
  attempt: 1, jobId: null, worker: 'test', error: null, ...overrides,
});

describe('team service store (PostgreSQL)', function () {
  this.timeout(120_000);
  let url: string;
  let pool: Pool;
  let store: ServiceStore;

  before(async () => {
    url = await freshDatabase();
    pool = openPool(url);
    store = new ServiceStore(pool);
  });
  after(async () => {
    await pool?.end();
  });

  it('migrates once, in order, also when two processes start together', async () => {
    assert.equal(await serviceSchemaVersion(pool), 0);
    const other = openPool(url);
    try {
      const [first, second] = await Promise.all([migrateServiceStore(pool), migrateServiceStore(other)]);
      assert.deepEqual([...first, ...second], [1, 2]);
      assert.deepEqual(await migrateServiceStore(pool), []);
      assert.equal(await serviceSchemaVersion(pool), SERVICE_SCHEMA_VERSION);
    } finally {
      await other.end();
    }
  });

  it('refuses a database migrated by a newer build', async () => {
    const newer = openPool(await freshDatabase());
    try {
      await migrateServiceStore(newer);
      await newer.query("INSERT INTO diffwise.schema_migrations (version, description) VALUES (999, 'from the future')");
      await assert.rejects(migrateServiceStore(newer), /schema is version 999, newer than this build's/);
    } finally {
      await newer.end();
    }
  });

  it('records a delivery once: a redelivery is a no-op', async () => {
    const delivery = { id: 'delivery-1', event: 'pull_request', action: 'opened', repository: 'acme/app', pullNumber: 1, outcome: 'enqueued' };
    assert.equal(await store.recordDelivery(pool, delivery), true);
    assert.equal(await store.recordDelivery(pool, delivery), false);
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM diffwise.deliveries WHERE id = 'delivery-1'");
    assert.equal(rows[0].n, 1);
  });

  it('keeps the newest head by GitHub\'s time, whatever order the deliveries arrive in, and counts every request', async () => {
    const event = { repository: 'acme/app', number: 2, installationId: 7, cloneUrl: 'file:///repo' };
    await store.requestReview(pool, { ...event, headSha: 'h2', headRef: 'feature', baseSha: 'base', baseRef: 'main', eventAt: '2026-12-01T10:00:02Z' });
    // An older push, delivered late (a redelivery after a failure on GitHub's side): counted, but the head stays.
    const late = await store.requestReview(pool, { ...event, headSha: 'h1', eventAt: '2026-12-01T10:00:01Z' });
    assert.equal(late.headSha, 'h2');
    assert.equal(late.seq, 2);
    const newest = await store.requestReview(pool, { ...event, headSha: 'h3', eventAt: '2026-12-01T10:00:03Z' });
    assert.equal(newest.headSha, 'h3');
    assert.equal(newest.baseRef, 'main');
    assert.equal(newest.installationId, 7);
    // A `/diffwise review` command carries no head: it keeps the one known.
    const command = await store.requestReview(pool, event);
    assert.equal(command.headSha, 'h3');
    assert.equal(command.seq, 4);
    await store.setPullState(pool, 'acme/app', 2, 'closed');
    assert.equal((await store.pullRequest('acme/app', 2))?.state, 'closed');
  });

  it('publishes a head once: a second published review of it is a duplicate', async () => {
    assert.equal(await store.recordReview(review({ id: 'first', run: run('first', '2026-12-01T10:00:00.000Z', 0.25), findingsByRule: { 'debug-leftover': 2, secret: 1 } })), 'recorded');
    assert.equal(await store.recordReview(review({ id: 'second' })), 'duplicate');
    // Superseded and failed reviews of the same head are history, not duplicates.
    assert.equal(await store.recordReview(review({ id: 'third', status: 'superseded' })), 'recorded');
    assert.equal((await store.publishedReview('acme/app', 1, 'b'.repeat(40)))?.id, 'first');
    assert.equal(await store.recordReview(review({ id: 'other-repo', repository: 'acme/lib', run: run('other-repo', '2026-12-01T11:00:00.000Z', 0.5) })), 'recorded');
    assert.deepEqual((await store.runs({ repository: 'acme/app' })).map((r) => r.id), ['first']);
    assert.equal((await store.runs()).length, 2);
    assert.equal(await store.spendSince('2026-12-01T00:00:00Z'), 0.75);
    assert.deepEqual(await store.repositories(), ['acme/app', 'acme/lib']);
    // What the metrics read: the run's figures with its findings by rule.
    const [record] = await store.runRecords({ repository: 'acme/app' });
    assert.deepEqual(record, { status: 'ok', startedAt: '2026-12-01T10:00:00.000Z', durationMs: 1200, hunks: 3, cacheHits: 0, llmCalls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0.25, savedUsd: 0, findingsByRule: { 'debug-leftover': 2, secret: 1 } });
  });

  it('shares the review cache: entries by key, each copied once, in order', async () => {
    await store.putCacheEntries([{ key: 'k1', value: '[]' }, { key: 'k2', value: '[{"a":1}]' }]);
    await store.putCacheEntries([{ key: 'k1', value: 'ignored: the key is content-addressed' }, { key: 'k3', value: '[]' }]);
    const all = await store.cacheEntriesAfter(0);
    assert.deepEqual(all.map((entry) => [entry.key, entry.value]), [['k1', '[]'], ['k2', '[{"a":1}]'], ['k3', '[]']]);
    assert.deepEqual((await store.cacheEntriesAfter(all[1]!.seq)).map((entry) => entry.key), ['k3']);
  });

  it('keeps the last rate limit per resource', async () => {
    await store.saveRateLimit('core', { remaining: 10, limit: 5000, resetAt: '2026-12-01T12:00:00.000Z' });
    await store.saveRateLimit('core', { remaining: 9, limit: 5000, resetAt: '2026-12-01T12:00:00.000Z' });
    assert.deepEqual(await store.rateLimits(), [{ resource: 'core', remaining: 9, limit: 5000, resetAt: '2026-12-01T12:00:00.000Z' }]);
  });

  describe('the review queue (pg-boss)', () => {
    let queue: ReviewQueue;
    const job = (deliveryId: string) => ({ repository: 'acme/app', number: 9, installationId: null, deliveryId, reason: 'synchronize' });

    before(async () => {
      queue = new ReviewQueue(url, { retryLimit: 1, retryDelaySeconds: 1, timeoutSeconds: 10 });
      await queue.start();
    });
    after(async () => {
      await queue?.stop({ graceful: false, timeoutMs: 1000 });
    });

    it('holds one waiting job per pull request, and one more only while one runs', async () => {
      const first = await queue.enqueue(job('d1'));
      assert.ok(first);
      assert.equal(await queue.enqueue(job('d2')), null, 'a push while a job waits adds none');
      assert.ok(await queue.enqueue({ ...job('d3'), number: 10 }), 'another pull request has its own');
      assert.equal(await queue.depth(), 2);
      const spans = new Map<string, { start: number; end: number }>();
      let queuedWhileRunning: string | null = null;
      await new Promise<void>((resolve, reject) => {
        let done = 0;
        void queue.work(2, async (taken) => {
          const start = Date.now();
          if (taken.data.number === 9 && taken.data.deliveryId === 'd1') queuedWhileRunning = await queue.enqueue(job('d4'));
          await new Promise((wait) => setTimeout(wait, 300));
          spans.set(taken.data.deliveryId, { start, end: Date.now() });
          if (++done === 3) resolve();
        }, 0.5).catch(reject);
      });
      assert.ok(queuedWhileRunning, 'a push while the job runs queues exactly one more');
      // One review at a time per pull request: the second of PR 9 began after the first ended.
      assert.ok(spans.get('d4')!.start >= spans.get('d1')!.end, JSON.stringify([...spans]));
      assert.equal(await queue.depth(), 0);
    });

    it('enqueues inside the delivery\'s transaction: rolled back, nothing is queued', async () => {
      const before = await queue.depth();
      await assert.rejects(inTransaction(pool, async (client) => {
        await store.recordDelivery(client, { id: 'rolled-back', event: 'pull_request', action: 'opened', repository: 'acme/app', pullNumber: 11, outcome: 'enqueued' });
        await queue.enqueue({ ...job('rolled-back'), number: 11 }, client);
        throw new Error('the answer failed');
      }), /the answer failed/);
      assert.equal(await queue.depth(), before);
      assert.equal(await store.recordDelivery(pool, { id: 'rolled-back', event: 'pull_request', action: 'opened', repository: 'acme/app', pullNumber: 11, outcome: 'enqueued' }), true);
    });
  });
});

describe('team service configuration', () => {
  it('needs DATABASE_URL, says so in one line, and never shows a secret', () => {
    assert.throws(() => loadServiceConfig({}), /DATABASE_URL is not set/);
    assert.throws(() => loadServiceConfig({ DATABASE_URL: 'mysql://x' }), /postgres:\/\//);
    assert.throws(() => loadServiceConfig({ DATABASE_URL: 'postgres://h/db', GITHUB_APP_ID: '1' }), /GITHUB_APP_PRIVATE_KEY/);
    assert.throws(() => loadServiceConfig({ DATABASE_URL: 'postgres://h/db', GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'not a key' }), /not a PEM private key/);
    assert.throws(() => loadServiceConfig({ DATABASE_URL: 'postgres://h/db', GITHUB_TOKEN_FILE: '/nonexistent/token' }), /cannot read GITHUB_TOKEN_FILE \/nonexistent\/token: ENOENT/);
    const config = loadServiceConfig({ DATABASE_URL: 'postgres://diffwise:hunter2@db.internal:6543/reviews', GITHUB_TOKEN: 'ghp_secret', GITHUB_WEBHOOK_SECRET: 'shh', DIFFWISE_DASHBOARD_TOKEN: 'dw-dash-token' });
    assert.equal(config.github?.mode, 'token');
    const described = JSON.stringify(describeConfig(config));
    for (const secret of ['hunter2', 'ghp_secret', 'shh', 'dw-dash-token']) assert.ok(!described.includes(secret), described);
    assert.equal(databaseLabel(config.databaseUrl), 'db.internal:6543/reviews');
  });

  it('reads an app\'s key from a file, with the \\n escapes an env file may hold', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\\nMIIB\\n-----END RSA PRIVATE KEY-----';
    const config = loadServiceConfig({ DATABASE_URL: 'postgres://h/db', GITHUB_APP_ID: '42', GITHUB_APP_PRIVATE_KEY: pem });
    assert.deepEqual(config.github, { mode: 'app', appId: '42', privateKey: pem.replace(/\\n/g, '\n') });
  });

  it('says an unreachable database in one line that names it, without the password', async () => {
    const pool = openPool('postgres://diffwise:hunter2@127.0.0.1:9/nowhere', { connectionTimeoutMillis: 2000 });
    try {
      const error = await pool.query('SELECT 1').then(() => undefined, (failure: unknown) => describeDatabaseError(failure, 'postgres://diffwise:hunter2@127.0.0.1:9/nowhere'));
      assert.match(String((error as Error).message), /^cannot reach PostgreSQL at 127\.0\.0\.1:9\/nowhere \(ECONNREFUSED\)/);
      assert.ok(!(error as Error).message.includes('hunter2'));
      assert.equal((error as Error).name, 'ServiceError');
    } finally {
      await pool.end();
    }
  });

  it('takes the queue\'s retry and timeout settings from the environment, ignoring nonsense', () => {
    assert.deepEqual(queueSettingsFrom({}), { retryLimit: 4, retryDelaySeconds: 15, timeoutSeconds: 900 });
    assert.deepEqual(queueSettingsFrom({ DIFFWISE_JOB_RETRIES: '0', DIFFWISE_JOB_RETRY_DELAY_SECONDS: 'soon', DIFFWISE_JOB_TIMEOUT_SECONDS: '30' }), { retryLimit: 0, retryDelaySeconds: 15, timeoutSeconds: 30 });
  });
});

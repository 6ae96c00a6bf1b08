/**
 * `diffwise worker` as a real process (the built CLI) against a real PostgreSQL (a
 * throw-away cluster), the fake GitHub on 127.0.0.1 and file:// repositories: jobs are
 * queued as the server queues them (ServiceStore.requestReview and ReviewQueue.enqueue in
 * one transaction), and what the worker did is read back from the fake and the store.
 * Covers the review posted with its check run, nothing posted twice, a push superseding a
 * running review, a killed worker's job finished by another, a dead letter, the app mode's
 * installation token and a graceful SIGTERM. Needs `npm run build` first.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { CLI } from '../helpers/cli';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fakeGitHub';
import { startFakeOpenAi, type FakeBehaviour, type FakeOpenAi } from '../helpers/fakeOpenAi';
import { cleanupRepos, commitAll, git, gitEnv, makeRepo, makeTempDir, write } from '../helpers/gitRepo';
import { freshDatabase } from '../helpers/postgres';
import { ReviewQueue, queueSettingsFrom } from '../../server/service/queue';
import { migrateServiceStore } from '../../server/service/store/migrations';
import { inTransaction, openPool } from '../../server/service/store/postgres';
import { ServiceStore, type ReviewRecord } from '../../server/service/store/serviceStore';

const OWNER = 'acme';
const NAME = 'app';
const REPOSITORY = `${OWNER}/${NAME}`;

const BASE_FILES = { 'src/app.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n' };
/** Line 3: a debug leftover (a warning); with `focused`, an `it.only` in a test file too (an error). */
function headFiles(focused: boolean, extra = ''): Record<string, string> {
  return {
    'src/app.ts': `export function add(a: number, b: number): number {\n  const sum = a + b;\n  console.log('sum', sum);\n  return sum;${extra}\n}\n`,
    ...(focused ? { 'test/app.test.ts': "import { add } from '../src/app';\nit.only('adds', () => {\n  if (add(1, 2) !== 3) throw new Error('no');\n});\n" } : {}),
  };
}

/** An LLM answer with no findings, after `delayMs`: what makes a review last. */
const answer = (delayMs: number): FakeBehaviour => ({ kind: 'success', content: JSON.stringify({ findings: [] }), usage: { prompt: 100, completion: 10 }, delayMs });
const llmEnvOf = (llm: FakeOpenAi): NodeJS.ProcessEnv => ({ DIFFWISE_LLM_BASE_URL: llm.baseUrl, DIFFWISE_LLM_API_KEY: 'sk-test', DIFFWISE_LLM_MODEL: 'gpt-4o-mini' });

interface Worker {
  child: ChildProcess;
  /** The worker's JSON log lines so far. */
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

describe('diffwise worker (team service reviews, real PostgreSQL and fake GitHub)', function () {
  this.timeout(120_000);
  let databaseUrl: string;
  let pool: Pool;
  let store: ServiceStore;
  let queue: ReviewQueue;
  let github: FakeGitHub;
  let workers: Worker[];
  let origin: string;

  before(() => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  });
  beforeEach(async () => {
    databaseUrl = await freshDatabase();
    pool = openPool(databaseUrl);
    await migrateServiceStore(pool);
    store = new ServiceStore(pool);
    queue = new ReviewQueue(databaseUrl, queueSettingsFrom({ DIFFWISE_JOB_RETRIES: '1', DIFFWISE_JOB_RETRY_DELAY_SECONDS: '1', DIFFWISE_JOB_TIMEOUT_SECONDS: '10' }), { supervise: false });
    await queue.start();
    github = await startFakeGitHub();
    github.addRepository(OWNER, NAME);
    workers = [];
  });
  afterEach(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await queue.stop({ graceful: false, timeoutMs: 1_000 });
    await pool.end();
    await github.close();
  });
  after(cleanupRepos);

  /** An origin repository with `main` and pull request `number`'s head at refs/pull/N/head, on the fake too. */
  function pullRequest(number: number, head: Record<string, string>): { base: string; head: string } {
    origin = makeRepo();
    // Served as GitHub serves it: a fetch with --filter=blob:none makes a partial clone.
    git(origin, 'config', 'uploadpack.allowFilter', 'true');
    for (const [file, text] of Object.entries(BASE_FILES)) write(origin, file, text);
    const base = commitAll(origin, 'base');
    git(origin, 'checkout', '-q', '-b', `feature-${number}`);
    for (const [file, text] of Object.entries(head)) write(origin, file, text);
    const sha = commitAll(origin, 'feature');
    git(origin, 'update-ref', `refs/pull/${number}/head`, sha);
    git(origin, 'checkout', '-q', 'main');
    github.addPull(OWNER, NAME, { number, head: { ref: `feature-${number}`, sha }, base: { ref: 'main', sha: base } });
    github.setDiffLines(OWNER, NAME, number, 'src/app.ts', [1, 2, 3, 4, 5, 6, 7]);
    if (head['test/app.test.ts']) github.setDiffLines(OWNER, NAME, number, 'test/app.test.ts', [1, 2, 3, 4]);
    return { base, head: sha };
  }

  /** A new head for pull request `number`: pushed to the origin, moved on the fake. */
  function push(number: number, files: Record<string, string>): string {
    git(origin, 'checkout', '-q', `feature-${number}`);
    for (const [file, text] of Object.entries(files)) write(origin, file, text);
    const sha = commitAll(origin, 'push');
    git(origin, 'update-ref', `refs/pull/${number}/head`, sha);
    git(origin, 'checkout', '-q', 'main');
    github.pull(OWNER, NAME, number).head.sha = sha;
    return sha;
  }

  /** What the server does for a delivery: the pull request's state and its job, in one transaction. */
  async function deliver(number: number, head: string, base: string, cloneUrl = `file://${origin}`, installationId: number | null = null): Promise<string | null> {
    return inTransaction(pool, async (client) => {
      await store.requestReview(client, { repository: REPOSITORY, number, installationId, cloneUrl, headSha: head, headRef: `feature-${number}`, baseSha: base, baseRef: 'main', state: 'open', draft: false, eventAt: new Date().toISOString() });
      return queue.enqueue({ repository: REPOSITORY, number, installationId, deliveryId: randomUUID(), reason: 'synchronize' }, client);
    });
  }

  function startWorker(args: string[] = [], env: NodeJS.ProcessEnv = {}): Worker {
    const child = spawn(process.execPath, [CLI, 'worker', '--concurrency', '1', ...args], {
      env: {
        ...gitEnv, DATABASE_URL: databaseUrl, GITHUB_TOKEN: github.token, DIFFWISE_GITHUB_API_URL: github.apiUrl, DIFFWISE_WORKER_CACHE_DIR: makeTempDir('diffwise-clones-'),
        DIFFWISE_JOB_TIMEOUT_SECONDS: '10', DIFFWISE_JOB_RETRIES: '1', DIFFWISE_JOB_RETRY_DELAY_SECONDS: '1', DIFFWISE_LOG_LEVEL: 'debug', ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Array<Record<string, unknown>> = [];
    let pending = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const line of parts) {
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          lines.push({ msg: line });
        }
      }
    });
    child.stdout!.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const worker = { child, lines, exited };
    workers.push(worker);
    return worker;
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; worker logs:\n${workers.map((worker) => worker.lines.map((line) => JSON.stringify(line)).join('\n')).join('\n---\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const reviewsOf = async (number: number): Promise<ReviewRecord[]> => (await store.reviews({ repository: REPOSITORY })).filter((review) => review.number === number);
  const published = (number: number, head: string) => until(`the review of ${head.slice(0, 8)}`, async () => (await reviewsOf(number)).find((review) => review.status === 'published' && review.headSha === head));

  it('posts one review with the finding on its line and a failing check run; the same job again posts nothing', async () => {
    const { base, head } = pullRequest(1, headFiles(true));
    const worker = startWorker();
    await until('the worker to start', () => worker.lines.some((line) => line.msg === 'worker started') || undefined);
    const delivered = Date.now();
    await deliver(1, head, base);
    const review = await published(1, head);
    const latencyMs = Date.parse(review.finishedAt) - delivered;
    assert.equal(github.posted.reviews.length, 1);
    const comments = github.posted.reviewComments;
    assert.ok(comments.some((comment) => comment.path === 'src/app.ts' && comment.line === 3 && /console\.log/.test(comment.body)), JSON.stringify(comments.map((c) => [c.path, c.line])));
    assert.ok(comments.some((comment) => comment.path === 'test/app.test.ts' && comment.line === 2));
    assert.equal(review.conclusion, 'failure');
    assert.ok(review.run && review.findings >= 2);
    const [check] = github.checkRuns(OWNER, NAME, head);
    assert.deepEqual({ id: check.id, status: check.status, conclusion: check.conclusion, name: check.name }, { id: review.checkRunId, status: 'completed', conclusion: 'failure', name: 'Diffwise' });
    assert.ok(check.output.annotations.some((annotation) => annotation.path === 'src/app.ts' && annotation.start_line === 3));
    assert.equal(review.attempt, 1);
    assert.match(review.worker ?? '', /:\d+$/);
    // The dashboard's waterfall and noisiest rules: the review's spans and its findings by rule, kept with it.
    const trace = await store.lastTrace({ repository: REPOSITORY });
    assert.equal(trace?.runId, review.run.id);
    assert.ok(trace!.spans.some((span) => span.name === 'diff') && trace!.spans.some((span) => span.name.startsWith('rule:')), JSON.stringify(trace!.spans.map((span) => span.name)));
    const [runRecord] = await store.runRecords({ repository: REPOSITORY });
    assert.ok((runRecord?.findingsByRule['debug-leftover'] ?? 0) >= 1, JSON.stringify(runRecord?.findingsByRule));

    // Queued again (a redelivery after a crash, a `/diffwise review`): nothing new on GitHub.
    await deliver(1, head, base);
    await until('the second job to finish', () => worker.lines.some((line) => line.msg === 'this head is published already: nothing to do') || undefined);
    assert.equal(github.posted.reviews.length, 1);
    assert.equal(github.checkRuns(OWNER, NAME, head).length, 1);
    assert.equal((await reviewsOf(1)).filter((row) => row.status === 'published').length, 1);
    assert.ok(worker.lines.some((line) => line.msg === 'worker started'));
    const timings = worker.lines.find((line) => line.msg === 'review published');
    process.stdout.write(`      the job's parts: checkout ${String(timings?.checkoutMs)} ms, review ${String(timings?.reviewMs)} ms, publish and check run ${String(timings?.publishMs)} ms\n`);
    const writes = github.requests.filter((request) => request.method !== 'GET' && request.receivedAt >= delivered && request.receivedAt <= Date.parse(review.finishedAt));
    process.stdout.write(`      GitHub writes, ms after the delivery: ${writes.map((request) => `${request.method} ${request.path.replace(/^\/repos\/[^/]+\/[^/]+/, '')} +${request.receivedAt - delivered}`).join(', ')}\n`);
    process.stdout.write(`      delivery-to-published latency (static review, first clone): ${latencyMs} ms\n`);
  });

  it('--fail-on never: the check run succeeds whatever the findings', async () => {
    const { base, head } = pullRequest(2, headFiles(true));
    startWorker(['--fail-on', 'never']);
    await deliver(2, head, base);
    const review = await published(2, head);
    assert.equal(review.conclusion, 'success');
    assert.equal(github.checkRuns(OWNER, NAME, head)[0].conclusion, 'success');
    assert.equal(github.posted.reviews.length, 1);
  });

  it('a push while a review runs supersedes it: only the newest head is published', async () => {
    const llm = await startFakeOpenAi();
    try {
      // The LLM answers slowly, so the first review is still running when the push arrives.
      llm.setDefault(answer(2_000));
      const { base, head: head1 } = pullRequest(3, headFiles(false));
      startWorker([], llmEnvOf(llm));
      await deliver(3, head1, base);
      await until('the first review to start', async () => llm.requests.length > 0 || undefined);
      const head2 = push(3, headFiles(false, '\n  // pushed'));
      llm.setDefault(answer(0));
      await deliver(3, head2, base);
      await published(3, head2);
      const rows = await reviewsOf(3);
      assert.deepEqual(rows.filter((row) => row.status === 'published').map((row) => row.headSha), [head2]);
      assert.ok(rows.some((row) => row.status === 'superseded' && row.headSha === head1), JSON.stringify(rows.map((row) => [row.status, row.headSha.slice(0, 8)])));
      assert.equal(github.posted.reviews.length, 1);
      assert.equal(github.posted.reviews[0].commitId, head2);
      assert.deepEqual(github.checkRuns(OWNER, NAME, head1).map((run) => [run.status, run.conclusion]), [['completed', 'cancelled']]);
      assert.deepEqual(github.checkRuns(OWNER, NAME, head2).map((run) => [run.status, run.conclusion]), [['completed', 'success']]);
    } finally {
      await llm.close();
    }
  });

  it('GitHub\'s API behind its webhook: the head it gives is published, then the delivery\'s once it catches up', async () => {
    const { base, head: head1 } = pullRequest(13, headFiles(false));
    const head2 = push(13, headFiles(false, '\n  // pushed'));
    github.pull(OWNER, NAME, 13).head.sha = head1;
    const worker = startWorker();
    await deliver(13, head2, base);
    await published(13, head1);
    github.pull(OWNER, NAME, 13).head.sha = head2;
    await published(13, head2);
    assert.ok(worker.lines.some((line) => line.msg === 'the delivery\'s head is not the one GitHub gave: retried to review the newest'));
    assert.deepEqual((await reviewsOf(13)).filter((row) => row.status === 'published').map((row) => row.headSha), [head1, head2]);
    // The same finding on both heads: posted once (the fingerprint), the newest head's check run its own.
    assert.equal(github.posted.reviews.length, 1);
    assert.deepEqual(github.checkRuns(OWNER, NAME, head2).map((run) => run.status), ['completed']);
  });

  it('a worker killed mid-review: the other worker finishes its job after the timeout, published once', async () => {
    const llm = await startFakeOpenAi();
    try {
      llm.setDefault(answer(30_000));
      const { base, head } = pullRequest(4, headFiles(false));
      const llmEnv = llmEnvOf(llm);
      const first = startWorker([], llmEnv);
      await until('the first worker to start', () => first.lines.some((line) => line.msg === 'worker started') || undefined);
      await deliver(4, head, base);
      await until('the review to reach the LLM', async () => llm.requests.length > 0 || undefined);
      first.child.kill('SIGKILL');
      await first.exited;
      llm.setDefault(answer(0));
      const second = startWorker([], llmEnv);
      const review = await published(4, head);
      assert.equal(review.attempt, 2);
      assert.equal(review.worker?.endsWith(`:${second.child.pid}`), true);
      assert.equal(github.posted.reviews.length, 1);
      assert.equal((await reviewsOf(4)).filter((row) => row.status === 'published').length, 1);
    } finally {
      await llm.close();
    }
  });

  it('an unreachable clone URL: after its retries the review is failed, its check run neutral and the job a dead letter', async () => {
    const { base, head } = pullRequest(5, headFiles(false));
    startWorker();
    await deliver(5, head, base, `file://${path.join(makeTempDir(), 'missing')}`);
    const failed = await until('the failed review', async () => (await reviewsOf(5)).find((row) => row.status === 'failed'));
    assert.equal(failed.attempt, 2);
    assert.equal(failed.conclusion, 'neutral');
    assert.match(failed.error ?? '', /git fetch/);
    await until('the dead letter', async () => (await queue.deadLetters()) === 1 || undefined);
    assert.equal(github.posted.reviews.length, 0);
    const [check] = github.checkRuns(OWNER, NAME, head);
    assert.deepEqual([check.status, check.conclusion], ['completed', 'neutral']);
    assert.match(check.output.summary ?? '', /git fetch/);
  });

  it('SIGTERM during a review: the review finishes and the process exits 0', async () => {
    const llm = await startFakeOpenAi();
    try {
      llm.setDefault(answer(1_500));
      const { base, head } = pullRequest(6, headFiles(false));
      const worker = startWorker([], llmEnvOf(llm));
      await deliver(6, head, base);
      await until('the review to reach the LLM', async () => llm.requests.length > 0 || undefined);
      worker.child.kill('SIGTERM');
      assert.equal(await worker.exited, 0);
      assert.ok(await store.publishedReview(REPOSITORY, 6, head), worker.lines.map((line) => JSON.stringify(line)).join('\n'));
      assert.ok(worker.lines.some((line) => line.msg === 'worker stopped'));
    } finally {
      await llm.close();
    }
  });

  it('the team\'s 👎 on a finding reach the next review: stored for the repository, learnt in the clone', async () => {
    const { base, head } = pullRequest(9, headFiles(false));
    const worker = startWorker();
    await deliver(9, head, base);
    await published(9, head);
    const [comment] = github.posted.reviewComments.filter((posted) => /console\.log/.test(posted.body));
    for (const login of ['ana', 'ben', 'cy']) {
      github.addUser(login);
      github.comment(comment.id).reactions.push({ id: 1000 + login.length, user: login, content: '-1', createdAt: new Date().toISOString() });
    }
    const head2 = push(9, headFiles(false, '\n  // pushed'));
    await deliver(9, head2, base);
    const second = await published(9, head2);
    const votes = await store.teamVotes(REPOSITORY);
    assert.deepEqual(votes.map((vote) => vote.vote), ['down', 'down', 'down']);
    assert.ok((second.run?.learning.suppressed ?? 0) >= 1, JSON.stringify(second.run?.learning));
    assert.equal(worker.lines.filter((line) => line.msg === 'could not read the team\'s votes from GitHub').length, 0);
    // The token never reaches a log line.
    assert.equal(worker.lines.some((line) => JSON.stringify(line).includes(github.token)), false);
  });

  it('the review cache is shared through PostgreSQL: a second clone of the same change starts with the first one\'s entries', async () => {
    const first = pullRequest(10, headFiles(true));
    startWorker();
    await deliver(10, first.head, first.base);
    const one = await published(10, first.head);
    assert.equal(one.run?.cacheHits, 0);
    assert.ok((await store.cacheEntriesAfter(0)).length > 0, 'the first review\'s entries are in the shared table');
    // Another pull request (another clone folder, its own database) with the same files.
    const second = pullRequest(11, headFiles(true));
    await deliver(11, second.head, second.base);
    const two = await published(11, second.head);
    assert.ok((two.run?.cacheHits ?? 0) > 0, JSON.stringify({ hits: two.run?.cacheHits, files: two.run?.files }));
  });

  it('the LLM budget is the team\'s: what other repositories spent this month counts, so an exhausted budget sends nothing', async () => {
    const llm = await startFakeOpenAi();
    try {
      llm.setDefault(answer(0));
      await pool.query(
        `INSERT INTO diffwise.reviews (id, repository, number, head_sha, status, started_at, finished_at, cost_usd) VALUES ($1, 'acme/other', 1, $2, 'published', now(), now(), 5)`,
        [randomUUID(), 'e'.repeat(40)],
      );
      const { base, head } = pullRequest(14, headFiles(false));
      startWorker([], { ...llmEnvOf(llm), DIFFWISE_LLM_MONTHLY_BUDGET_USD: '1' });
      await deliver(14, head, base);
      const review = await published(14, head);
      assert.equal(llm.requests.length, 0);
      assert.equal(review.run?.llmCalls, 0);
    } finally {
      await llm.close();
    }
  });

  it('as a GitHub App: an installation token for every API call, check runs written by the app', async () => {
    const app = github.addApp();
    const installation = github.installApp(app.id, OWNER);
    github.checkRunsNeedApp = true;
    const { base, head } = pullRequest(7, headFiles(false));
    startWorker([], { GITHUB_TOKEN: '', GITHUB_APP_ID: String(app.id), GITHUB_APP_PRIVATE_KEY: app.privateKeyPem });
    await deliver(7, head, base, `file://${origin}`, installation);
    const review = await published(7, head);
    assert.equal(review.conclusion, 'success');
    assert.deepEqual(github.checkRuns(OWNER, NAME, head).map((run) => [run.status, run.conclusion]), [['completed', 'success']]);
    const minted = github.installationTokens.map((entry) => entry.token);
    assert.ok(minted.length >= 1 && minted.every((token) => /^ghs_/.test(token)));
    const repositoryCalls = github.requests.filter((request) => request.path.startsWith(`/repos/${OWNER}/${NAME}/`));
    assert.ok(repositoryCalls.length > 3);
    for (const request of repositoryCalls) assert.ok(minted.some((token) => String(request.headers.authorization).endsWith(token)), `${request.method} ${request.path} carried ${String(request.headers.authorization).slice(0, 12)}`);
    assert.equal(github.posted.reviews.length, 1);
  });

  it('with a personal token GitHub refuses check runs: the review is still published, without one', async () => {
    github.checkRunsNeedApp = true;
    const { base, head } = pullRequest(8, headFiles(false));
    const worker = startWorker();
    await deliver(8, head, base);
    const review = await published(8, head);
    assert.equal(review.checkRunId, null);
    assert.equal(github.checkRuns(OWNER, NAME, head).length, 0);
    assert.equal(github.posted.reviews.length, 1);
    assert.ok(worker.lines.some((line) => line.msg === 'no check run: a Diffwise commit status instead'));
  });

  it('a second signal exits at once with 1; the job it held is released to the queue', async () => {
    const llm = await startFakeOpenAi();
    try {
      llm.setDefault(answer(4_000));
      const { base, head } = pullRequest(12, headFiles(false));
      const worker = startWorker([], llmEnvOf(llm));
      await deliver(12, head, base);
      await until('the review to reach the LLM', async () => llm.requests.length > 0 || undefined);
      worker.child.kill('SIGTERM');
      await until('the shutdown to begin', () => worker.lines.some((line) => line.msg === 'shutting down: no new jobs, waiting for the running ones') || undefined);
      worker.child.kill('SIGTERM');
      assert.equal(await worker.exited, 1);
      llm.setDefault(answer(0));
      // Nothing was published; another worker gets the job once it expires.
      assert.equal(await store.publishedReview(REPOSITORY, 12, head), undefined);
      startWorker([], llmEnvOf(llm));
      await published(12, head);
      assert.equal(github.posted.reviews.length, 1);
    } finally {
      await llm.close();
    }
  });

  describe('the Diffwise commit status when GitHub refuses check runs (a personal token)', () => {
    beforeEach(() => {
      github.checkRunsNeedApp = true;
    });
    const states = (head: string) => github.statuses(OWNER, NAME, head).map((status) => [status.context, status.state]);

    it('pending while the review runs, then failure for a finding at error, linked to the review; no check run', async () => {
      const { base, head } = pullRequest(21, headFiles(true));
      const worker = startWorker();
      await deliver(21, head, base);
      const review = await published(21, head);
      assert.equal(review.conclusion, 'failure');
      assert.equal(github.checkRuns(OWNER, NAME, head).length, 0);
      assert.deepEqual(states(head), [['Diffwise', 'pending'], ['Diffwise', 'failure']]);
      const [pending, final] = github.statuses(OWNER, NAME, head);
      assert.equal(pending.description, 'Diffwise is reviewing this commit');
      assert.match(final.description ?? '', /^\d+ problems: [1-9]\d* errors?, /);
      assert.equal(final.targetUrl, review.reviewUrl);
      assert.match(final.targetUrl ?? '', /pull\/21#pullrequestreview-\d+$/);
      assert.equal(final.creator, github.login);
      assert.ok(worker.lines.some((line) => line.msg === 'no check run: a Diffwise commit status instead'));

      // Queued again: the head is published already, its status is left as it is.
      await deliver(21, head, base);
      await until('the second job to finish', () => worker.lines.some((line) => line.msg === 'this head is published already: nothing to do') || undefined);
      assert.deepEqual(states(head), [['Diffwise', 'pending'], ['Diffwise', 'failure']]);
      assert.equal(github.posted.reviews.length, 1);
      // One sync before posting, none after: one GraphQL threads query for the job's publish.
      const graphql = github.requests.filter((request) => request.path === '/graphql' && request.receivedAt <= Date.parse(review.finishedAt));
      assert.equal(graphql.length, 1, graphql.map((request) => String(request.body?.query).slice(0, 40)).join('; '));
    });

    it('--fail-on never: success whatever the findings', async () => {
      const { base, head } = pullRequest(22, headFiles(true));
      startWorker(['--fail-on', 'never']);
      await deliver(22, head, base);
      const review = await published(22, head);
      assert.equal(review.conclusion, 'success');
      assert.deepEqual(states(head), [['Diffwise', 'pending'], ['Diffwise', 'success']]);
      assert.equal(github.checkRuns(OWNER, NAME, head).length, 0);
    });

    it('a review that could not be made ends in error, saying why', async () => {
      const { base, head } = pullRequest(23, headFiles(false));
      startWorker();
      await deliver(23, head, base, `file://${path.join(makeTempDir(), 'missing')}`);
      await until('the failed review', async () => (await reviewsOf(23)).find((row) => row.status === 'failed'));
      await until('the error status', () => github.statuses(OWNER, NAME, head).some((status) => status.state === 'error') || undefined);
      const final = github.statuses(OWNER, NAME, head).at(-1)!;
      assert.equal(final.state, 'error');
      assert.match(final.description ?? '', /^The review could not be done: .*git fetch/);
      assert.ok((final.description ?? '').length <= 140);
      assert.equal(github.checkRuns(OWNER, NAME, head).length, 0);
    });

    it('a push while a review runs: the superseded head stays pending, saying so; the newest head gets the verdict', async () => {
      const llm = await startFakeOpenAi();
      try {
        llm.setDefault(answer(2_000));
        const { base, head: head1 } = pullRequest(24, headFiles(false));
        startWorker([], llmEnvOf(llm));
        await deliver(24, head1, base);
        await until('the first review to start', async () => llm.requests.length > 0 || undefined);
        const head2 = push(24, headFiles(false, '\n  // pushed'));
        llm.setDefault(answer(0));
        await deliver(24, head2, base);
        await published(24, head2);
        await until('the superseded row', async () => (await reviewsOf(24)).find((row) => row.status === 'superseded'));
        assert.deepEqual(states(head1), [['Diffwise', 'pending'], ['Diffwise', 'pending']]);
        assert.match(github.statuses(OWNER, NAME, head1)[1].description ?? '', /^Superseded by a newer push/);
        assert.deepEqual(states(head2), [['Diffwise', 'pending'], ['Diffwise', 'success']]);
      } finally {
        await llm.close();
      }
    });

    it('as a GitHub App: check runs, and no commit status', async () => {
      const app = github.addApp();
      const installation = github.installApp(app.id, OWNER);
      const { base, head } = pullRequest(25, headFiles(true));
      startWorker([], { GITHUB_TOKEN: '', GITHUB_APP_ID: String(app.id), GITHUB_APP_PRIVATE_KEY: app.privateKeyPem });
      await deliver(25, head, base, `file://${origin}`, installation);
      await published(25, head);
      assert.deepEqual(github.checkRuns(OWNER, NAME, head).map((run) => [run.status, run.conclusion]), [['completed', 'failure']]);
      assert.deepEqual(github.statuses(OWNER, NAME), []);
      assert.equal(github.requests.filter((request) => request.path.includes('/statuses/')).length, 0);
    });
  });

  it('refuses to start without GitHub credentials, naming the variables', async () => {
    const worker = startWorker([], { GITHUB_TOKEN: '' });
    assert.equal(await worker.exited, 2);
    assert.match(worker.lines.map((line) => String(line.msg)).join('\n'), /GITHUB_APP_ID \+ GITHUB_APP_PRIVATE_KEY .*GITHUB_TOKEN/);
  });
});

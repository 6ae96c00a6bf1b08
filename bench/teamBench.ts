/**
 * `npm run bench team`: the team service under a bounded load on loopback (issue 19's
 * targets). Real parts only: a throw-away PostgreSQL, the fake GitHub in token mode, ONE
 * `node dist/cli.js server` and TWO `node dist/cli.js worker` processes, and 60 pull
 * requests over four file:// repositories (each PR a branch adding a file with a debug
 * leftover; `refs/pull/N/head` moved as GitHub moves it, the fake's head and diff lines in
 * step). 300 signed deliveries arriving as GitHub sends them, open loop (each at its time, whatever
 * the answers before it take; ARRIVALS_PER_SECOND turns a second): `opened` for every PR, redeliveries (the same
 * X-GitHub-Delivery), bursts of 3-5 `synchronize` pushes on one PR a few ms apart. Midway,
 * `kill -9` of a worker while it holds a job (the job times out after 10 s and the other
 * worker finishes it). Then it waits, 5 minutes at most, until the queue is empty and every
 * PR has a published review of its latest head.
 *
 * Figures, all from the same run: deliveries sent/accepted/duplicates, duplicate reviews
 * (in the store and on the fake), lost deliveries, delivery-to-review latency, the server's
 * response time (client-measured), success rate, average review time, the crash recovery.
 * A correctness target missed (a duplicate, a PR left without a review of its head, the
 * killed job never finished) sets the exit code.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { freePort, freshDatabase } from '../test/helpers/postgres';
import { startFakeGitHub, type FakeGitHub } from '../test/helpers/fakeGitHub';
import { commitAll, git, gitEnv, makeRepo, write } from '../test/helpers/gitRepo';
import { signBody } from '../test/helpers/webhookSender';
import { mulberry32 as random } from './learningBench';
import { median } from './stats';

const REPOSITORIES = 4;
const PULLS = 60;
const DELIVERIES = 300;
/**
 * Deliveries (or bursts of pushes) starting each second. Open loop: a slow answer does not slow
 * the arrivals, as it does not slow GitHub's. 10 a second, with the bursts, is some 19 deliveries
 * a second: a large organisation's busiest minute, on the same 2 CPUs as the workers' reviews.
 */
const ARRIVALS_PER_SECOND = 10;
const WORKERS = 2;
const WORKER_CONCURRENCY = 2;
const JOB_TIMEOUT_SECONDS = 30;
const KILL_AFTER_PUBLISHED = 10;
const GIVE_UP_MS = 5 * 60_000;
const OWNER = 'acme';
const SECRET = 'team-bench-webhook-secret';
const REVIEW_QUEUE = 'diffwise-review';

/** The targets the issue states (the server's p99 and the seed's success rate and review time). */
const TARGETS = { responseP99Ms: 100, successRate: 0.95, averageReviewMs: 30_000 };

interface Pull {
  repo: string;
  dir: string;
  number: number;
  branch: string;
  baseSha: string;
  headSha: string;
  /** Lines of the PR's file at its head (all in the diff: the file is new). */
  lines: number;
  /** When the delivery that set the current head was sent (performance.now() on this clock's epoch). */
  headSentAt: number;
  /** GitHub's updated_at of the newest push: the store keeps the newest head by it. */
  updatedAt: number;
}

interface Sent {
  id: string;
  event: string;
  body: string;
}

interface Answer {
  status: number;
  ms: number;
}

function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The PR's file: one export per line, the first a debug leftover the static rules find. */
function fileText(number: number, lines: number): string {
  const body = [`console.log('pr ${number} debug');`];
  for (let i = 2; i <= lines; i++) body.push(`export const value${i} = ${number * 1000 + i};`);
  return `${body.join('\n')}\n`;
}

/** A push made ahead of the run: its commit and how many lines its file has (all of them in the diff). */
interface Push {
  sha: string;
  lines: number;
}

/**
 * The commits of a burst, made before the clock starts (detached: the refs move when the
 * push is "delivered"), so that no git command blocks this process while answers are timed.
 */
function preparePushes(pull: Pull & { tip: Push }, count: number): Push[] {
  const pushes: Push[] = [];
  for (let i = 0; i < count; i++) {
    git(pull.dir, 'checkout', '-q', '--detach', pull.tip.sha);
    const lines = pull.tip.lines + 1;
    write(pull.dir, `src/pr${pull.number}.ts`, fileText(pull.number, lines));
    pull.tip = { sha: commitAll(pull.dir, `pr ${pull.number}: line ${lines}`), lines };
    pushes.push(pull.tip);
  }
  return pushes;
}

/** Runs git without blocking the event loop (the answers in flight are being timed). */
function gitAsync(dir: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd: dir, env: gitEnv }, (error) => (error ? reject(error) : resolve()));
    child.stdin!.end(input);
  });
}

/** What GitHub does on a push: the branch and refs/pull/N/head move, the PR's head and diff follow. */
async function movePull(fake: FakeGitHub, pull: Pull, push: Push): Promise<void> {
  await gitAsync(pull.dir, ['update-ref', '--stdin'], `update refs/heads/${pull.branch} ${push.sha}\nupdate refs/pull/${pull.number}/head ${push.sha}\n`);
  pull.headSha = push.sha;
  pull.lines = push.lines;
  pull.updatedAt += 1_000;
  const fakePull = fake.pull(OWNER, pull.repo, pull.number);
  fakePull.head.sha = push.sha;
  fakePull.updatedAt = new Date(pull.updatedAt).toISOString();
  fake.setDiffLines(OWNER, pull.repo, pull.number, `src/pr${pull.number}.ts`, Array.from({ length: push.lines }, (_, i) => i + 1));
}

function makePulls(fake: FakeGitHub, scratch: string): Pull[] {
  const pulls: Pull[] = [];
  const started = Date.now() - 3_600_000;
  for (let r = 0; r < REPOSITORIES; r++) {
    const repo = `service${r}`;
    const dir = makeRepo({ dir: path.join(scratch, 'repos', repo) });
    write(dir, 'src/index.ts', 'export const name = "service";\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n');
    const baseSha = commitAll(dir, 'initial');
    fake.addRepository(OWNER, repo);
    for (let n = 1; n <= PULLS / REPOSITORIES; n++) {
      const pull: Pull = { repo, dir, number: n, branch: `feature-${n}`, baseSha, headSha: baseSha, lines: 2, headSentAt: 0, updatedAt: started };
      write(dir, `src/pr${n}.ts`, fileText(n, pull.lines));
      git(dir, 'checkout', '-q', '-b', pull.branch, baseSha);
      pull.headSha = commitAll(dir, `pr ${n}`);
      git(dir, 'update-ref', `refs/pull/${n}/head`, pull.headSha);
      git(dir, 'checkout', '-q', 'main');
      fake.addPull(OWNER, repo, { number: n, head: { ref: pull.branch, sha: pull.headSha }, base: { ref: 'main', sha: baseSha }, title: `Feature ${n}` });
      fake.setDiffLines(OWNER, repo, n, `src/pr${n}.ts`, [1, 2]);
      pulls.push(pull);
    }
  }
  return pulls;
}

/** A `pull_request` delivery as GitHub sends it (the fields of its webhook payload the service reads, and their neighbours). */
function pullRequestDelivery(pull: Pull, action: 'opened' | 'synchronize', before?: string): Sent {
  const cloneUrl = `file://${pull.dir}`;
  const repository = { id: 1000 + Number(pull.repo.replace(/\D/g, '')), node_id: `R_${pull.repo}`, name: pull.repo, full_name: `${OWNER}/${pull.repo}`, private: false,
    owner: { login: OWNER, id: 1, type: 'Organization' }, html_url: `https://github.com/${OWNER}/${pull.repo}`, clone_url: cloneUrl, default_branch: 'main' };
  const payload = {
    action,
    number: pull.number,
    ...(action === 'synchronize' ? { before, after: pull.headSha } : {}),
    pull_request: {
      id: 50_000 + pull.number, number: pull.number, state: 'open', draft: false, title: `Feature ${pull.number}`,
      html_url: `https://github.com/${OWNER}/${pull.repo}/pull/${pull.number}`, user: { login: 'alice', id: 2, type: 'User' },
      created_at: new Date(pull.updatedAt - 60_000).toISOString(), updated_at: new Date(pull.updatedAt).toISOString(),
      head: { label: `${OWNER}:${pull.branch}`, ref: pull.branch, sha: pull.headSha, repo: repository, user: { login: OWNER, id: 1 } },
      base: { label: `${OWNER}:main`, ref: 'main', sha: pull.baseSha, repo: repository, user: { login: OWNER, id: 1 } },
    },
    repository,
    sender: { login: 'alice', id: 2, type: 'User' },
  };
  return { id: randomUUID(), event: 'pull_request', body: JSON.stringify(payload) };
}

async function send(url: string, delivery: Sent): Promise<Answer> {
  const signature = signBody(SECRET, delivery.body);
  const started = performance.now();
  const response = await fetch(`${url}/webhooks/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': delivery.event, 'x-github-delivery': delivery.id, 'x-hub-signature-256': signature, 'user-agent': 'GitHub-Hookshot/bench' },
    body: delivery.body,
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

/** A service process, its stderr kept (the last lines, for a failure's report). */
interface ServiceProcess {
  name: string;
  child: ChildProcess;
  tail: string[];
  exited: Promise<number | null>;
}

function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv, cli: string, logDir: string): ServiceProcess {
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const tail: string[] = [];
  let partial = '';
  // The whole log stays in .bench/team-logs/ for a look after the run; the tail goes in the report.
  const file = fs.createWriteStream(path.join(logDir, `${name.replace(/\s+/g, '-')}.log`));
  child.once('exit', () => file.end());
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    file.write(chunk);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    tail.push(...lines);
    if (tail.length > 200) tail.splice(0, tail.length - 200);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ? null : code)));
  return { name, child, tail, exited };
}

async function waitReady(url: string, server: ServiceProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  void server.exited.then(() => { exited = true; });
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`diffwise server did not become ready${exited ? ' (it exited)' : ' in 60 s'}:\n${server.tail.slice(-20).join('\n')}`);
}

/** Starts each task at its turn of a steady rate (open loop: never waiting for an earlier answer), then waits for all. */
async function arrive(perSecond: number, tasks: ReadonlyArray<() => Promise<void>>): Promise<void> {
  const started: Array<Promise<void>> = [];
  const t0 = Date.now();
  for (let i = 0; i < tasks.length; i++) {
    const wait = t0 + (i * 1000) / perSecond - Date.now();
    if (wait > 0) await sleep(wait);
    started.push(tasks[i]!());
  }
  await Promise.all(started);
}

interface ActiveJob {
  id: string;
  key: string;
  retryCount: number;
}

async function activeJobs(db: Client): Promise<ActiveJob[]> {
  const { rows } = await db.query<{ id: string; key: string; retry_count: number }>(
    `SELECT id, singleton_key AS key, retry_count FROM pgboss.job WHERE name = $1 AND state = 'active'`, [REVIEW_QUEUE]);
  return rows.map((row) => ({ id: row.id, key: row.key, retryCount: row.retry_count }));
}

/** Jobs not finished yet (waiting, retrying or running): 0 when the queue has drained. */
async function unfinishedJobs(db: Client): Promise<number> {
  const { rows } = await db.query<{ count: string }>(`SELECT count(*) AS count FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`, [REVIEW_QUEUE]);
  return Number(rows[0].count);
}

interface Crash {
  killedAt: number;
  /** The jobs running when it was killed: the killed worker's are among them. */
  running: ActiveJob[];
  /** The killed worker's jobs: those the queue then failed by timeout, with when that was seen. */
  timedOut: Map<string, number>;
}

/**
 * Kills worker 1 with SIGKILL once it surely holds a job (each worker runs at most
 * WORKER_CONCURRENCY, so more running jobs than that means both have one), then watches the
 * jobs that were running: those the queue fails "by timeout in active state" were the killed
 * worker's (the other worker's finish, or fail with their own error).
 */
async function killWhileBusy(db: Client, worker: ServiceProcess, startAfter: () => Promise<boolean>, stop: () => boolean, onKill: (crash: Crash) => void, onRecovered: () => void): Promise<void> {
  while (!stop() && !(await startAfter())) await sleep(100);
  let crash: Crash | undefined;
  while (!stop() && !crash) {
    const running = await activeJobs(db);
    if (running.length > WORKER_CONCURRENCY) {
      worker.child.kill('SIGKILL');
      crash = { killedAt: Date.now(), running, timedOut: new Map() };
      onKill(crash);
    } else {
      await sleep(10);
    }
  }
  let recovered = false;
  while (crash && !stop()) {
    const { rows } = await db.query<{ id: string; state: string; message: string | null }>(
      `SELECT id, state::text, output->'value'->>'message' AS message FROM pgboss.job WHERE id = ANY($1::uuid[])`, [crash.running.map((job) => job.id)]);
    for (const row of rows) if (row.message?.includes('timeout') && !crash.timedOut.has(row.id)) crash.timedOut.set(row.id, Date.now());
    const killed = rows.filter((row) => crash!.timedOut.has(row.id));
    if (!recovered && killed.length && killed.every((row) => row.state === 'completed')) {
      recovered = true;
      onRecovered();
    }
    await sleep(100);
  }
}

export interface TeamBenchResult {
  grids: Array<{ title: string; header: string[]; rows: string[][] }>;
  /** Lines printed under the tables (the crash's story). */
  notes: string[];
  /** The correctness targets missed (empty: all met). */
  failures: string[];
}

export async function teamBench(projectRoot: string): Promise<TeamBenchResult> {
  const cli = path.join(projectRoot, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: npm run build (npm run bench builds first)');
  const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-team-bench-')));
  const databaseUrl = await freshDatabase('diffwise_team_bench');
  const fake = await startFakeGitHub();
  const pulls = makePulls(fake, scratch);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...gitEnv,
    DATABASE_URL: databaseUrl,
    GITHUB_WEBHOOK_SECRET: SECRET,
    GITHUB_TOKEN: fake.token,
    DIFFWISE_GITHUB_API_URL: fake.apiUrl,
    DIFFWISE_DASHBOARD_TOKEN: 'team-bench-dashboard',
    DIFFWISE_LOG_LEVEL: 'info',
    // Every delivery comes from 127.0.0.1 here: the per-source limit must not be what is measured.
    DIFFWISE_WEBHOOK_RATE_LIMIT: '100000',
    DIFFWISE_JOB_TIMEOUT_SECONDS: String(JOB_TIMEOUT_SECONDS),
    DIFFWISE_JOB_RETRY_DELAY_SECONDS: '1',
    DIFFWISE_WORKER_SHUTDOWN_SECONDS: '10',
    DIFFWISE_LLM: 'off',
  };
  const processes: ServiceProcess[] = [];
  // Interrupted (Ctrl-C), the bench takes its service processes with it rather than leaving them running.
  const interrupted = () => {
    for (const child of processes) child.child.kill('SIGKILL');
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const logDir = path.join(projectRoot, '.bench', 'team-logs');
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  const db = new Client({ connectionString: databaseUrl });
  try {
    const server = startProcess('server', ['server', '--port', String(port), '--host', '127.0.0.1'], env, cli, logDir);
    processes.push(server);
    await waitReady(url, server);
    await db.connect();

    const startWorker = (n: number) => startProcess(`worker ${n}`, ['worker', '--concurrency', String(WORKER_CONCURRENCY), '--cache-dir', path.join(scratch, `clones-${n}`)], env, cli, logDir);
    const workers = Array.from({ length: WORKERS }, (_, i) => startWorker(i + 1));
    processes.push(...workers);

    // The run's shape, decided up front (seeded): opened for all, then bursts and redeliveries mixed.
    const next = random(19);
    const answers: Answer[] = [];
    const statuses = new Map<number, number>();
    const sentOnce: Sent[] = [];
    let sent = 0;
    let redeliveries = 0;
    const deliver = async (delivery: Sent) => {
      const answer = await send(url, delivery);
      sent++;
      answers.push(answer);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    };
    const redeliver = async () => {
      const earlier = sentOnce[Math.floor(next() * sentOnce.length)];
      redeliveries++;
      await deliver(earlier);
    };
    const opened = pulls.map((pull) => async () => {
      const delivery = pullRequestDelivery(pull, 'opened');
      sentOnce.push(delivery);
      pull.headSentAt = Date.now();
      await deliver(delivery);
    });
    /** A burst: 3-5 pushes on one PR, each delivered a few ms after the previous push, not after its answer. */
    const burst = (pull: Pull, pushes: Push[]) => async () => {
      const inFlight: Promise<void>[] = [];
      for (const push of pushes) {
        const before = pull.headSha;
        await movePull(fake, pull, push);
        const delivery = pullRequestDelivery(pull, 'synchronize', before);
        sentOnce.push(delivery);
        pull.headSentAt = Date.now();
        inFlight.push(deliver(delivery));
        await sleep(2 + Math.floor(next() * 4));
      }
      await Promise.all(inFlight);
    };
    const later: Array<() => Promise<void>> = [];
    const tips = new Map(pulls.map((pull) => [pull, { ...pull, tip: { sha: pull.headSha, lines: pull.lines } }]));
    let planned = pulls.length;
    while (planned < DELIVERIES) {
      const left = DELIVERIES - planned;
      if (next() < 0.6 && left >= 3) {
        const pushes = Math.min(left, 3 + Math.floor(next() * 3));
        const pull = pulls[Math.floor(next() * pulls.length)];
        later.push(burst(pull, preparePushes(tips.get(pull)!, pushes)));
        planned += pushes;
      } else {
        later.push(redeliver);
        planned += 1;
      }
    }

    const runStarted = Date.now();
    let crash: Crash | undefined;
    let done = false;
    // Once the other worker has finished the killed one's jobs, a replacement starts, as systemd's
    // Restart= or Docker's restart policy would bring it back, so the rest of the run has two again.
    // Mid-run: once both workers have been publishing for a while (KILL_AFTER_PUBLISHED reviews).
    const publishedSoFar = async () => Number((await db.query<{ count: string }>(`SELECT count(*) AS count FROM diffwise.reviews WHERE status = 'published'`)).rows[0].count);
    const killer = killWhileBusy(db, workers[0], async () => sent >= pulls.length && (await publishedSoFar()) >= KILL_AFTER_PUBLISHED, () => done, (value) => { crash = value; }, () => {
      const replacement = startWorker(WORKERS + 1);
      processes.push(replacement);
      workers.push(replacement);
    });
    // Every PR opened first, then the pushes and redeliveries, all at the same arrival rate.
    await arrive(ARRIVALS_PER_SECOND, [...opened, ...later]);
    const sendingMs = Date.now() - runStarted;
    console.error(`team bench: ${sent} deliveries sent in ${(sendingMs / 1000).toFixed(1)} s; waiting for the queue to drain (at most ${GIVE_UP_MS / 60_000} min)`);

    // Drained: no job left to run, and every PR's newest head has its published review.
    const deadline = runStarted + GIVE_UP_MS;
    let missing: Pull[] = pulls;
    while (Date.now() < deadline) {
      const unfinished = await unfinishedJobs(db);
      const { rows } = await db.query<{ repository: string; number: number; head_sha: string }>(`SELECT repository, number, head_sha FROM diffwise.reviews WHERE status = 'published'`);
      const published = new Set(rows.map((r) => `${r.repository}#${r.number}@${r.head_sha}`));
      missing = pulls.filter((pull) => !published.has(`${OWNER}/${pull.repo}#${pull.number}@${pull.headSha}`));
      if (unfinished === 0 && missing.length === 0 && (crash !== undefined || Date.now() - runStarted > 60_000)) break;
      await sleep(250);
    }
    done = true;
    await killer;
    const drainedMs = Date.now() - runStarted;

    const result = await figures({ db, fake, pulls, answers, statuses, sent, redeliveries, missing, crash, runStartedAt: runStarted, serverP99: await serverP99(url), sendingMs, drainedMs, workers });
    // A missed target is read with the processes' last words: what failed, and why.
    if (result.failures.length) {
      for (const child of processes) console.error(`\n${child.name}, last lines of its log:\n${child.tail.slice(-8).join('\n')}`);
      console.error(`\nthe whole logs: ${logDir}`);
    }
    return result;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    for (const child of processes) if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGTERM');
    await Promise.race([Promise.all(processes.map((child) => child.exited)), sleep(15_000)]);
    for (const child of processes) if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
    await db.end().catch(() => undefined);
    await fake.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

interface RunOutcome {
  db: Client;
  fake: FakeGitHub;
  pulls: Pull[];
  answers: Answer[];
  statuses: Map<number, number>;
  sent: number;
  redeliveries: number;
  missing: Pull[];
  crash: Crash | undefined;
  runStartedAt: number;
  serverP99: string;
  sendingMs: number;
  drainedMs: number;
  workers: ServiceProcess[];
}

async function figures(run: RunOutcome): Promise<TeamBenchResult> {
  const { db, fake, pulls } = run;
  const failures: string[] = [];
  const { rows: deliveryRows } = await db.query<{ count: string }>('SELECT count(*) AS count FROM diffwise.deliveries');
  const accepted = Number(deliveryRows[0].count);
  const { rows: reviews } = await db.query<{ repository: string; number: number; head_sha: string; status: string; run_ms: number | null; finished_at: Date; job_id: string | null; worker: string | null; attempt: number }>(
    'SELECT repository, number, head_sha, status, run_ms, finished_at, job_id, worker, attempt FROM diffwise.reviews ORDER BY finished_at');
  const published = reviews.filter((r) => r.status === 'published');

  // Duplicates: per (PR, head) at most one published review in the store, one review and one check run on the fake.
  const perHead = new Map<string, number>();
  for (const r of published) perHead.set(`${r.repository}#${r.number}@${r.head_sha}`, (perHead.get(`${r.repository}#${r.number}@${r.head_sha}`) ?? 0) + 1);
  const storeDuplicates = [...perHead.values()].filter((count) => count > 1).length;
  let fakeDuplicates = 0;
  let fakeReviews = 0;
  let wrongFinal = 0;
  for (const pull of pulls) {
    const posted = fake.pull(OWNER, pull.repo, pull.number).reviews;
    fakeReviews += posted.length;
    const byCommit = new Map<string, number>();
    for (const review of posted) byCommit.set(review.commitId, (byCommit.get(review.commitId) ?? 0) + 1);
    fakeDuplicates += [...byCommit.values()].filter((count) => count > 1).length;
    const last = published.filter((r) => r.repository === `${OWNER}/${pull.repo}` && r.number === pull.number).at(-1);
    if (last && last.head_sha !== pull.headSha) wrongFinal++;
  }
  const checkRuns = checkRunsPerHead(fake, pulls);

  // Latency: from the delivery that set the final head to that head's published review.
  const latencies: number[] = [];
  for (const pull of pulls) {
    const review = published.find((r) => r.repository === `${OWNER}/${pull.repo}` && r.number === pull.number && r.head_sha === pull.headSha);
    if (review) latencies.push(review.finished_at.getTime() - pull.headSentAt);
  }
  const responseTimes = run.answers.map((answer) => answer.ms);
  const failed = reviews.filter((r) => r.status === 'failed').length;
  const successRate = published.length + failed ? published.length / (published.length + failed) : 0;
  const runTimes = published.map((r) => r.run_ms ?? 0);
  const averageReviewMs = runTimes.length ? runTimes.reduce((a, b) => a + b, 0) / runTimes.length : NaN;

  // The crash: the killed worker's jobs (failed by the queue's timeout), when each was finished and by whom.
  let crashText = 'no worker was killed (never more running jobs than one worker holds)';
  let crashMet = false;
  if (run.crash) {
    const crash = run.crash;
    const ids = [...crash.timedOut.keys()];
    const { rows } = await db.query<{ id: string; state: string; completed_on: Date | null; key: string }>(
      `SELECT id, state::text, completed_on, singleton_key AS key FROM pgboss.job WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id, state::text, completed_on, singleton_key AS key FROM pgboss.archive WHERE id = ANY($1::uuid[])`, [ids]);
    const names = new Map(run.workers.map((worker) => [worker.child.pid, worker.name]));
    if (!rows.length) {
      crashText = `killed with ${crash.running.length} jobs running, none of which the queue failed by timeout (the killed worker's job was not seen coming back)`;
    } else {
      crashText = rows.map((job) => {
        const finisher = reviews.filter((r) => r.job_id === job.id).at(-1);
        const by = finisher?.worker ? names.get(Number(finisher.worker.split(':').pop())) ?? finisher.worker : undefined;
        const recovered = job.completed_on ? `finished ${((job.completed_on.getTime() - crash.killedAt) / 1000).toFixed(1)} s after the kill` : `not finished (${job.state})`;
        const timedOutAfter = ((crash.timedOut.get(job.id)! - crash.killedAt) / 1000).toFixed(1);
        return `job ${job.id.slice(0, 8)} (${job.key}): released by the timeout ${timedOutAfter} s after the kill, ${recovered}${finisher ? ` by ${by} (attempt ${finisher.attempt}, ${finisher.status})` : ''}`;
      }).join('; ');
      crashMet = rows.every((job) => job.state === 'completed') && rows.every((job) => {
        const finisher = reviews.filter((r) => r.job_id === job.id).at(-1);
        return finisher === undefined || names.get(Number(finisher.worker?.split(':').pop())) !== run.workers[0].name;
      });
    }
  }

  const duplicatesMet = storeDuplicates === 0 && fakeDuplicates === 0 && checkRuns.duplicates === 0;
  if (!duplicatesMet) failures.push(`duplicate reviews: ${storeDuplicates} heads in the store, ${fakeDuplicates} on the fake, ${checkRuns.duplicates} heads with more than one check run`);
  if (run.missing.length) failures.push(`lost: ${run.missing.length} PRs without a published review of their latest head (${run.missing.slice(0, 5).map((p) => `${p.repo}#${p.number}`).join(', ')}${run.missing.length > 5 ? '…' : ''})`);
  if (wrongFinal) failures.push(`${wrongFinal} PRs whose last published review is not of their latest head`);
  if (!crashMet) failures.push(`crash recovery: ${crashText}`);
  if (run.sent !== DELIVERIES) failures.push(`sent ${run.sent} deliveries, not ${DELIVERIES}`);

  const p99 = percentile(responseTimes, 99);
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const statusText = [...run.statuses.entries()].sort((a, b) => a[0] - b[0]).map(([status, count]) => `${count}×${status}`).join(', ');
  console.log(`team corpus (${os.cpus().length} CPUs, shared by PostgreSQL, the service's processes and the sender): ${pulls.length} PRs in ${REPOSITORIES} file:// repositories, ${DELIVERIES} deliveries (${ARRIVALS_PER_SECOND} arrivals a second, open loop; a burst is one arrival), 1 server + ${WORKERS} workers × ${WORKER_CONCURRENCY} (a third replaces the killed one once its jobs are finished), static review (LLM off), job timeout ${JOB_TIMEOUT_SECONDS} s; sent in ${(run.sendingMs / 1000).toFixed(1)} s, drained in ${(run.drainedMs / 1000).toFixed(1)} s`);
  return {
    failures,
    notes: [`kill -9 of worker 1 at ${(run.crash ? (run.crash.killedAt - run.runStartedAt) / 1000 : NaN).toFixed(1)} s into the run, ${run.crash?.running.length ?? 0} jobs running: ${crashText}`],
    grids: [
      {
        title: 'Team service under load: correctness (one run)',
        header: ['figure', 'value', 'target', ''],
        rows: [
          ['deliveries sent', String(run.sent), String(DELIVERIES), ''],
          ['  answers', statusText, '', ''],
          ['  recorded (distinct ids)', String(accepted), `${run.sent - run.redeliveries}`, verdict(accepted === run.sent - run.redeliveries)],
          ['  redeliveries (no-ops)', String(run.redeliveries), '', ''],
          ['reviews recorded', `${reviews.length} (${published.length} published, ${reviews.filter((r) => r.status === 'superseded').length} superseded, ${failed} failed, ${reviews.filter((r) => r.status === 'skipped').length} skipped)`, '', ''],
          ['duplicate reviews, store', String(storeDuplicates), '0', verdict(storeDuplicates === 0)],
          ['duplicate reviews, GitHub', `${fakeDuplicates} (${fakeReviews} reviews posted)`, '0', verdict(fakeDuplicates === 0)],
          ['duplicate check runs, GitHub', `${checkRuns.duplicates} (${checkRuns.total} check runs, ${checkRuns.leftRunning} not completed)`, '0', verdict(checkRuns.duplicates === 0)],
          ['lost (no review of latest head)', String(run.missing.length), '0', verdict(run.missing.length === 0)],
          ['final review not of latest head', String(wrongFinal), '0', verdict(wrongFinal === 0)],
          ['kill -9 of worker 1 mid-job', crashMet ? 'recovered' : 'not recovered', 'worker 2 finishes', verdict(crashMet)],
        ],
      },
      {
        title: 'Team service under load: times (same run; server times measured by the sender)',
        header: ['figure', 'p50', 'p95', 'p99', 'target', ''],
        rows: [
          ['server response, its own', '', '', run.serverP99, 'histogram bucket', ''],
          ['server response', ms(percentile(responseTimes, 50)), ms(percentile(responseTimes, 95)), ms(p99), `p99 < ${TARGETS.responseP99Ms} ms`, verdict(p99 < TARGETS.responseP99Ms)],
          ['delivery to review', ms(percentile(latencies, 50)), ms(percentile(latencies, 95)), ms(percentile(latencies, 99)), 'reported', ''],
          ['review run time', ms(median(runTimes.length ? runTimes : [NaN])), ms(percentile(runTimes, 95)), ms(percentile(runTimes, 99)), `mean ${ms(averageReviewMs)} < 30 s`, verdict(averageReviewMs < TARGETS.averageReviewMs)],
          ['success rate', `${(successRate * 100).toFixed(1)}%`, '', '', '> 95%', verdict(successRate > TARGETS.successRate)],
        ],
      },
    ],
  };
}

/**
 * The server's own view of its answers (diffwise_webhook_response_seconds, all statuses
 * together): the bucket bound under which 99% fall, so that the sender's p99 can be told
 * apart from the time a busy loopback adds.
 */
async function serverP99(url: string): Promise<string> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const buckets = new Map<number, number>();
    for (const match of text.matchAll(/^diffwise_webhook_response_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
      const le = /le="([^"]+)"/.exec(match[1])?.[1];
      if (!le) continue;
      const bound = le === '+Inf' ? Infinity : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + Number(match[2]));
    }
    const total = buckets.get(Infinity) ?? 0;
    if (!total) return '-';
    const bound = [...buckets.entries()].sort((a, b) => a[0] - b[0]).find(([, count]) => count >= 0.99 * total)?.[0] ?? Infinity;
    return Number.isFinite(bound) ? `≤ ${ms(bound * 1000)}` : '> 2.5 s';
  } catch {
    return '-';
  }
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value < 10 ? `${value.toFixed(1)} ms` : value < 10_000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

/** Check runs per (repository, head, name) on the fake: one per head, a retried job finds its own again. */
function checkRunsPerHead(fake: FakeGitHub, pulls: readonly Pull[]): { total: number; duplicates: number; leftRunning: number } {
  const perHead = new Map<string, number>();
  let total = 0;
  let leftRunning = 0;
  for (const repo of new Set(pulls.map((pull) => pull.repo))) {
    for (const check of fake.checkRuns(OWNER, repo)) {
      total++;
      if (check.status !== 'completed') leftRunning++;
      const key = `${repo}@${check.headSha}:${check.name}`;
      perHead.set(key, (perHead.get(key) ?? 0) + 1);
    }
  }
  return { total, duplicates: [...perHead.values()].filter((count) => count > 1).length, leftRunning };
}

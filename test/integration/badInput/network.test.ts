/**
 * The bad-input suite, network half: a GitHub (or a proxy in front of it) and an
 * LLM endpoint that misbehave in the ways we have met, each through a real CLI
 * run against servers on 127.0.0.1. Every case asserts the exit code, the one
 * line the user reads, and that nothing was lost: the synced pull request and
 * the votes are still there after a failed re-sync, the static findings are
 * still delivered when the LLM fails.
 *
 * Each case runs in its own copy of one synced and voted repository, against its
 * own fake server, and the cases run a few at a time (`runConcurrently`): most
 * of their time is spent waiting for a timeout or a retry.
 */
import * as assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PrCommentsDocument } from '../../../shared/github';
import type { ReviewDocument } from '../../../shared/review';
import { expectNoLeak, expectOneLineFailure, runConcurrently } from '../../helpers/badInput';
import { runCliAsync, runCliJsonAsync, type CliResult } from '../../helpers/cli';
import { startFakeGitHub, type FakeGitHub, type RecordedGitHubRequest } from '../../helpers/fakeGitHub';
import { startFakeOpenAi, type FakeOpenAi } from '../../helpers/fakeOpenAi';
import { cleanupRepos, makeTempDir, write } from '../../helpers/gitRepo';
import { featureRepo as featureRepoOf } from '../../helpers/prRepo';

/** main: src/app.ts; feature: line 5 changed and two debug leftovers added (lines 9 and 10); origin is github.com/octo/app. */
const featureRepo = () => featureRepoOf("export function line8(): number {\n  console.log('here');\n  debugger;\n  return 8;\n}");

const HTML_PAGE = '<html>\n<head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body>\n</html>\n';
const ENDPOINT = 'POST http:\\/\\/127\\.0\\.0\\.1:\\d+\\/v1\\/chat\\/completions';
/** Short, so that a case waiting for a timeout stays fast. */
const GITHUB_TIMEOUT_MS = 700;
const LLM_TIMEOUT_MS = 400;

/**
 * The client gave up on `request` after about `timeoutMs`: measured at the
 * server, from the request's arrival to its connection's close, so that node's
 * start-up on a busy machine does not count.
 */
function expectWaited(request: { receivedAt: number; closedAt: number }, timeoutMs: number): void {
  assert.ok(request.closedAt > 0, 'the client closed the connection');
  const waited = request.closedAt - request.receivedAt;
  // The client's clock starts before the request reaches the server (not before the type
  // checker, which holds the event loop while an LLM call starts, lets go: chatClient.ts), and on
  // a loaded machine (2 shared cores, CI beside other jobs) that lead reached 330 ms of 700: the
  // lower bound only proves the client waited rather than failing at once; the upper one is the point.
  assert.ok(waited >= timeoutMs * 0.3 && waited < timeoutMs + 1500, `the client waited ${waited} ms for a ${timeoutMs} ms timeout`);
}

/** What must survive a failed run: the synced pull request and every vote. */
interface StoredState {
  pulls: unknown[];
  comments: unknown[];
  reviews: unknown[];
  threads: unknown[];
  votes: unknown[];
}

/**
 * The synced pull request and the votes as the repository's database holds
 * them, read directly: a CLI run per case costs a second of node's start-up,
 * and `pr comments` and `feedback --list` read these rows (the template's
 * setup checks them through the CLI once). `synced_at` is left out when a
 * sync succeeded before the failure.
 */
function storedState(repo: string, withSyncTime = true): StoredState {
  const db = new Database(path.join(repo, '.git', 'diffwise', 'diffwise.db'), { readonly: true, fileMustExist: true });
  try {
    return {
      pulls: db.prepare(`SELECT repository, branch, number, pull${withSyncTime ? ', synced_at' : ''} FROM pr_pulls ORDER BY repository, branch`).all(),
      comments: db.prepare('SELECT * FROM pr_comments ORDER BY repository, number, id').all(),
      reviews: db.prepare('SELECT * FROM pr_reviews ORDER BY repository, number, id').all(),
      threads: db.prepare('SELECT * FROM pr_threads ORDER BY repository, number, thread_id').all(),
      votes: db.prepare('SELECT * FROM feedback ORDER BY created_at, id').all(),
    };
  } finally {
    db.close();
  }
}

interface GitHubOutcome {
  result: CliResult;
  elapsedMs: number;
  /** The requests the failed run made. */
  requests: RecordedGitHubRequest[];
  reviewsPosted: number;
  stored: StoredState;
}

interface GitHubCase {
  name: string;
  /** Scripts the case's own fake GitHub; may return environment for the run. */
  arrange?: (github: FakeGitHub) => NodeJS.ProcessEnv | void | Promise<NodeJS.ProcessEnv | void>;
  /** `pr sync` by default. */
  args?: string[];
  message: RegExp;
  verify?: (outcome: GitHubOutcome) => void;
  /** The run synced successfully before failing (pr publish syncs first): only the sync time changed. */
  resynced?: boolean;
}

const githubCases: GitHubCase[] = [
  {
    name: 'never answers: ends within the timeout, naming the request and the setting, not retried',
    arrange: (github) => github.misbehave({ kind: 'hang' }, { path: '/repos/octo/app/pulls/7' }),
    message: /^diffwise: GitHub did not answer GET \/repos\/octo\/app\/pulls\/7 within 700 ms \(DIFFWISE_GITHUB_TIMEOUT_MS raises it\)$/,
    verify: ({ requests }) => {
      assert.deepEqual(requests.map((request) => [request.path, request.status]), [['/repos/octo/app/pulls/7', 0]]);
      expectWaited(requests[0], GITHUB_TIMEOUT_MS);
    },
  },
  {
    name: 'answers, then stalls in the middle of the body',
    arrange: (github) => github.misbehave({ kind: 'stall', body: '[{"url":"http://127.0.0.1/repos/octo/app/pulls/comments/1","id":' }, { path: '/repos/octo/app/pulls/7/comments' }),
    message: /^diffwise: GitHub began answering GET \/repos\/octo\/app\/pulls\/7\/comments\?per_page=100&… but did not finish within 700 ms \(DIFFWISE_GITHUB_TIMEOUT_MS raises it\)$/,
    verify: ({ requests }) => expectWaited(requests.find((request) => request.path === '/repos/octo/app/pulls/7/comments')!, GITHUB_TIMEOUT_MS),
  },
  {
    name: 'the whole sync has a deadline, retry waits included',
    arrange: (github) => {
      github.failNext(503);
      return { DIFFWISE_GITHUB_DEADLINE_MS: '600' };
    },
    message: /^diffwise: GitHub took longer than the 600 ms one operation may take, at GET \/repos\/octo\/app\/pulls\/7 \(DIFFWISE_GITHUB_DEADLINE_MS raises it\)$/,
    // octokit's retry waits 1 s first: the deadline cuts it short.
    verify: ({ requests }) => assert.deepEqual(requests.map((request) => request.status), [503]),
  },
  {
    name: 'a timeout that is not a number of milliseconds',
    arrange: () => ({ DIFFWISE_GITHUB_TIMEOUT_MS: '30s' }),
    message: /^diffwise: DIFFWISE_GITHUB_TIMEOUT_MS must be a whole number of milliseconds above 0 \(got "30s"\)$/,
    verify: ({ requests }) => assert.equal(requests.length, 0),
  },
  {
    name: '5xx three times (500, 500, then a proxy\'s 502 HTML page): retried twice, then what the page says',
    arrange: (github) => {
      const serverError = JSON.stringify({ message: 'Server Error' });
      github.misbehave({ kind: 'raw', status: 500, body: serverError }, { path: '/repos/octo/app/pulls/7' });
      github.misbehave({ kind: 'raw', status: 500, body: serverError }, { path: '/repos/octo/app/pulls/7' });
      github.misbehave({ kind: 'raw', status: 502, body: HTML_PAGE, contentType: 'text/html' }, { path: '/repos/octo/app/pulls/7' });
    },
    message: /^diffwise: GitHub answered 502 to GET \/repos\/octo\/app\/pulls\/7: an HTML page \("<html> <head><title>502 Bad Gateway<\/title><\/head> <body>.*…"\)$/,
    verify: ({ requests }) => assert.deepEqual(requests.map((request) => request.status), [500, 500, 502]),
  },
  {
    name: '200 with an HTML page (a corporate proxy\'s sign-in page) where a pull request belongs',
    arrange: (github) => github.misbehave({ kind: 'raw', status: 200, body: '<!DOCTYPE html><html><head><title>Sign in · Corporate SSO</title></head><body>…</body></html>', contentType: 'text/html; charset=utf-8' }, { path: '/repos/octo/app/pulls/7' }),
    message: /^diffwise: GitHub's answer to GET \/repos\/octo\/app\/pulls\/7 \(200\) is not what its API documents: expected a pull request, got an HTML page \("<!DOCTYPE html><html><head><title>Sign in · Corporate SSO<\/t…"\)$/,
  },
  {
    name: '200 with JSON cut short',
    arrange: (github) => github.misbehave({ kind: 'raw', status: 200, body: '[{"url":"http://127.0.0.1/repos/octo/app/pulls/comments/1","id":10' }, { path: '/repos/octo/app/pulls/7/comments' }),
    message: /^diffwise: GitHub's answer to GET \/repos\/octo\/app\/pulls\/7\/comments\?per_page=100&… \(200\) is not what its API documents: expected a list of review comments, got JSON that is cut short or malformed \("\[\{"url":"http:\/\/127\.0\.0\.1\/repos\/octo\/app\/pulls\/comments\/1","…"\)$/,
  },
  {
    name: '200 with a list where a pull request (an object) belongs',
    arrange: (github) => github.misbehave({ kind: 'raw', status: 200, body: JSON.stringify([{ number: 7 }]) }, { path: '/repos/octo/app/pulls/7' }),
    message: /^diffwise: GitHub's answer to GET \/repos\/octo\/app\/pulls\/7 \(200\) is not what its API documents: expected a pull request, got a list of 1 \("\[\{"number":7\}\]"\)$/,
  },
  {
    name: '200 with an object where a list of reviews belongs',
    arrange: (github) => github.misbehave({ kind: 'raw', status: 200, body: JSON.stringify({ message: 'Moved', items: [] }) }, { path: '/repos/octo/app/pulls/7/reviews' }),
    message: /^diffwise: GitHub's answer to GET \/repos\/octo\/app\/pulls\/7\/reviews\?per_page=100 \(200\) is not what its API documents: expected a list of reviews, got an object \("\{"message":"Moved","items":\[\]\}"\)$/,
  },
  {
    name: '200 with a pull request missing a field we read',
    arrange: (github) => github.misbehave({ kind: 'raw', status: 200, body: JSON.stringify({ number: 7, title: 'Scale the lines', html_url: 'https://github.com/octo/app/pull/7', state: 'open', user: null, base: { ref: 'main', sha: 'a'.repeat(40) } }) }, { path: '/repos/octo/app/pulls/7' }),
    message: /^diffwise: GitHub's answer to GET \/repos\/octo\/app\/pulls\/7 \(200\) is not what its API documents: expected a pull request, got an object whose head is missing \("\{"number":7,"title":"Scale the lines",.*…"\)$/,
  },
  {
    name: '200 with a review comment whose field has the wrong type',
    arrange: (github) => github.misbehave({ kind: 'raw', status: 200, body: JSON.stringify([{ id: '12', path: 'src/app.ts' }]) }, { path: '/repos/octo/app/pulls/7/comments' }),
    message: /^diffwise: GitHub's answer to GET \/repos\/octo\/app\/pulls\/7\/comments\?per_page=100&… \(200\) is not what its API documents: expected a list of review comments, got a list whose \[0\]\.id is the text "12" \("\[\{"id":"12","path":"src\/app\.ts"\}\]"\)$/,
  },
  {
    name: 'GraphQL answers 200 with an errors array',
    arrange: (github) => github.misbehave({ kind: 'raw', status: 200, body: JSON.stringify({ data: { repository: null }, errors: [{ type: 'FORBIDDEN', path: ['repository'], message: 'Resource not accessible by personal access token' }] }) }, { path: '/graphql' }),
    message: /^diffwise: GitHub: Resource not accessible by personal access token \(FORBIDDEN\) \(POST \/graphql\)$/,
  },
  {
    name: 'GraphQL never answers',
    arrange: (github) => github.misbehave({ kind: 'hang' }, { path: '/graphql' }),
    message: /^diffwise: GitHub did not answer POST \/graphql within 700 ms \(DIFFWISE_GITHUB_TIMEOUT_MS raises it\)$/,
    verify: ({ requests }) => expectWaited(requests.find((request) => request.path === '/graphql')!, GITHUB_TIMEOUT_MS),
  },
  {
    name: 'GraphQL answers 200 without data',
    arrange: (github) => github.misbehave({ kind: 'raw', status: 200, body: '{}' }, { path: '/graphql' }),
    message: /^diffwise: GitHub's answer to POST \/graphql \(200\) is not what its API documents: expected data\.repository with the pull request's review threads, got an object whose data is missing \("\{\}"\)$/,
  },
  {
    name: '401: a bad token (never printed)',
    arrange: () => ({ GITHUB_TOKEN: 'ghp_notTheTokenAtAll0123456789' }),
    message: /^diffwise: GitHub rejected the token \(401 Bad credentials\): set GITHUB_TOKEN to a valid token$/,
    verify: ({ result }) => assert.doesNotMatch(result.stderr + result.stdout, /ghp_/),
  },
  {
    name: '403: the rate limit is used up, with the reset time',
    arrange: (github) => github.rateLimit(Math.floor(Date.now() / 1000) + 1200),
    message: /^diffwise: GitHub's rate limit is used up until \d\d:\d\d UTC \(in (19|20) min\)$/,
  },
  {
    name: '404: the repository is not there (or the token cannot see it)',
    arrange: (github) => void github.repositories.delete('octo/app'),
    message: /^diffwise: octo\/app was not found on http:\/\/127\.0\.0\.1:\d+, or the token cannot read it$/,
  },
  {
    name: 'connection refused: names the host (after two retries)',
    arrange: async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      return { DIFFWISE_GITHUB_API_URL: `http://127.0.0.1:${port}` };
    },
    message: /^diffwise: cannot reach GitHub at 127\.0\.0\.1:\d+: the connection was refused \(GET \/repos\/octo\/app\/pulls\/7\)$/,
  },
  {
    name: 'the connection closed without an answer (after two retries)',
    arrange: (github) => github.misbehave({ kind: 'close' }, { path: '/repos/octo/app/pulls/7', times: 3 }),
    message: /^diffwise: GitHub closed the connection during GET \/repos\/octo\/app\/pulls\/7 \(\w+\)$/,
    verify: ({ requests }) => assert.equal(requests.length, 3),
  },
  {
    name: 'a redirect loop',
    arrange: (github) => github.misbehave({ kind: 'redirect', location: `${github.apiUrl}/repos/octo/app/pulls/7` }, { path: '/repos/octo/app/pulls/7', times: Infinity }),
    message: /^diffwise: GitHub's answer to GET \/repos\/octo\/app\/pulls\/7 redirects in a loop \(more than 20 redirects\): check DIFFWISE_GITHUB_API_URL or diffwise\.github\.apiUrl$/,
  },
  {
    name: 'pr publish: the answer to the posted review is an HTML page',
    arrange: (github) => github.misbehave({ kind: 'raw', status: 200, body: HTML_PAGE, contentType: 'text/html' }, { path: '/repos/octo/app/pulls/7/reviews', method: 'POST' }),
    args: ['pr', 'publish'],
    message: /^diffwise: GitHub's answer to POST \/repos\/octo\/app\/pulls\/7\/reviews \(200\) is not what its API documents: expected the review it created, got an HTML page \("<html> <head><title>502 Bad Gateway<\/title><\/head> <body>.*…"\)$/,
    verify: ({ requests, reviewsPosted }) => {
      assert.equal(reviewsPosted, 0);
      assert.ok(requests.some((request) => request.method === 'POST' && request.path === '/repos/octo/app/pulls/7/reviews'));
    },
    resynced: true,
  },
];

interface LlmOutcome {
  result: CliResult;
  elapsedMs: number;
  document: ReviewDocument;
  requests: FakeOpenAi['requests'];
}

interface LlmCase {
  name: string;
  arrange: (fake: FakeOpenAi) => void;
  /** What the run's llm error says. */
  message: RegExp;
  verify?: (outcome: LlmOutcome) => void;
}

const llmCases: LlmCase[] = [
  {
    name: 'never answers: every attempt times out',
    arrange: (fake) => fake.setDefault({ kind: 'hang' }),
    message: new RegExp(`^1 of 1 hunk\\(s\\) were not reviewed by the LLM: LLM call failed: no answer within 400 ms from ${ENDPOINT} \\(after 4 attempts\\)$`),
    verify: ({ requests }) => {
      assert.equal(requests.length, 4);
      for (const request of requests) expectWaited(request, LLM_TIMEOUT_MS);
    },
  },
  {
    name: 'answers, then stalls in the middle of the body',
    arrange: (fake) => fake.setDefault({ kind: 'stall', body: '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,' }),
    message: new RegExp(`^1 of 1 hunk\\(s\\) were not reviewed by the LLM: LLM call failed: ${ENDPOINT} began answering but did not finish within 400 ms \\(after 4 attempts\\)$`),
    verify: ({ requests }) => expectWaited(requests[0], LLM_TIMEOUT_MS),
  },
  {
    name: '500 every time',
    arrange: (fake) => fake.setDefault({ kind: 'status', status: 500, message: 'The server had an error while processing your request.' }),
    message: new RegExp(`^1 of 1 hunk\\(s\\) were not reviewed by the LLM: LLM call failed: HTTP 500 from ${ENDPOINT}: The server had an error while processing your request\\. \\(after 4 attempts\\)$`),
  },
  {
    name: 'a proxy\'s 502 HTML page',
    arrange: (fake) => fake.setDefault({ kind: 'raw', status: 502, body: HTML_PAGE, contentType: 'text/html' }),
    message: new RegExp(`^1 of 1 hunk\\(s\\) were not reviewed by the LLM: LLM call failed: HTTP 502 from ${ENDPOINT}: an HTML page \\("<html> <head><title>502 Bad Gateway</title></head> <body>.*…"\\) \\(after 4 attempts\\)$`),
  },
  {
    name: '200 with an HTML page',
    arrange: (fake) => fake.setDefault({ kind: 'raw', status: 200, body: '<!DOCTYPE html><html><head><title>Sign in · Corporate SSO</title></head></html>', contentType: 'text/html' }),
    message: new RegExp(`^1 of 1 hunk\\(s\\) were not reviewed by the LLM: LLM call failed: the answer of ${ENDPOINT} \\(200\\) is not JSON: got an HTML page \\("<!DOCTYPE html><html><head><title>Sign in · Corporate SSO</t…"\\) \\(after 2 attempts\\)$`),
  },
  {
    name: '200 with JSON cut short',
    arrange: (fake) => fake.setDefault({ kind: 'malformedBody' }),
    message: new RegExp(`^1 of 1 hunk\\(s\\) were not reviewed by the LLM: LLM call failed: the answer of ${ENDPOINT} \\(200\\) is not JSON: got JSON that is cut short or malformed \\("\\{"id": "chatcmpl-broken", "choices": \\["\\) \\(after 2 attempts\\)$`),
  },
  {
    name: '200 without choices',
    arrange: (fake) => fake.setDefault({ kind: 'raw', status: 200, body: JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', error: 'overloaded' }) }),
    message: new RegExp(`^1 of 1 hunk\\(s\\) were not reviewed by the LLM: LLM call failed: the answer of ${ENDPOINT} \\(200\\) is not a chat completion: choices: Invalid input: expected array, received undefined \\(got "\\{"id":"chatcmpl-1","object":"chat\\.completion","error":"overl…"\\) \\(after 2 attempts\\)$`),
  },
  {
    name: '200 with choices that are not a list',
    arrange: (fake) => fake.setDefault({ kind: 'raw', status: 200, body: JSON.stringify({ id: 'chatcmpl-1', choices: { message: { content: '{}' } } }) }),
    message: /is not a chat completion: choices: .* \(got "\{"id":"chatcmpl-1","choices":\{"message":\{"content":"\{\}"\}\}\}"\) \(after 2 attempts\)$/,
  },
  {
    name: 'the model\'s content is not the JSON the prompt asks for',
    arrange: (fake) => fake.setDefault({ kind: 'success', content: 'Looks good to me! No issues found.' }),
    message: new RegExp(`^1 of 1 hunk\\(s\\) were not reviewed by the LLM: LLM call failed: the model's answer for diffwise_review \\(${ENDPOINT}, 200\\) is not JSON: "Looks good to me! No issues found\\." \\(after 2 attempts\\)$`),
  },
];

describe('bad input: GitHub and the LLM endpoint misbehave (servers on 127.0.0.1)', function () {
  this.timeout(60_000);
  let template: { repo: string; head: string; base: string };
  let stored: StoredState;
  let storedUnsynced: StoredState;
  let staticFindings: Array<{ ruleId: string; line: number; suppressed: boolean }>;
  let outcomes: Map<string, Promise<GitHubOutcome | LlmOutcome>>;

  /** A fake GitHub with pull request #7 of the template and one comment: the same ids every time. */
  async function populatedGitHub(): Promise<FakeGitHub> {
    // One clock for all: the same comments, with the same times, on every case's server.
    const github = await startFakeGitHub({ now: () => Date.parse('2026-11-30T12:00:00Z') });
    github.addRepository('octo', 'app');
    github.addPull('octo', 'app', { number: 7, title: 'Scale the lines', head: { ref: 'feature', sha: template.head }, base: { ref: 'main', sha: template.base } });
    github.setDiffLines('octo', 'app', 7, 'src/app.ts', [5, 8, 9, 10, 11, 12]);
    github.addReviewComment('octo', 'app', 7, { path: 'src/app.ts', line: 5, body: 'Why 50?', user: 'alice', commitId: template.head });
    return github;
  }

  const githubEnv = (github: FakeGitHub, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    GITHUB_TOKEN: github.token,
    DIFFWISE_GITHUB_API_URL: github.apiUrl,
    DIFFWISE_GITHUB_TIMEOUT_MS: String(GITHUB_TIMEOUT_MS),
    ...extra,
  });

  /** A copy of the synced, voted template repository, its database included. */
  function copyOfTemplate(): string {
    const copy = makeTempDir();
    fs.cpSync(template.repo, copy, { recursive: true });
    return copy;
  }

  async function runGitHubCase(c: GitHubCase): Promise<GitHubOutcome> {
    const repo = copyOfTemplate();
    const github = await populatedGitHub();
    try {
      const extra = (await c.arrange?.(github)) ?? {};
      const before = github.requests.length;
      const started = Date.now();
      const result = await runCliAsync(repo, c.args ?? ['pr', 'sync'], githubEnv(github, extra));
      const elapsedMs = Date.now() - started;
      const requests = github.requests.slice(before);
      return { result, elapsedMs, requests, reviewsPosted: github.posted.reviews.length, stored: storedState(repo, !c.resynced) };
    } finally {
      await github.close();
    }
  }

  async function runLlmCase(c: LlmCase): Promise<LlmOutcome> {
    const repo = copyOfTemplate();
    write(repo, '.diffwise/config.json', JSON.stringify({ llm: { timeoutMs: LLM_TIMEOUT_MS } }));
    const fake = await startFakeOpenAi();
    try {
      c.arrange(fake);
      const started = Date.now();
      const result = await runCliAsync(repo, ['review', '--base', 'main', '--format', 'json', '--fail-on', 'warning'], {
        DIFFWISE_LLM_BASE_URL: fake.baseUrl,
        DIFFWISE_LLM_API_KEY: 'sk-test-badInput-0123456789',
        DIFFWISE_LLM_MODEL: 'gpt-4o-mini',
      });
      const elapsedMs = Date.now() - started;
      let document: ReviewDocument;
      try {
        document = JSON.parse(result.stdout) as ReviewDocument;
      } catch {
        throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
      }
      return { result, elapsedMs, document, requests: fake.requests };
    } finally {
      await fake.close();
    }
  }

  before(async function () {
    this.timeout(60_000);
    template = featureRepo();
    const github = await populatedGitHub();
    try {
      const first = await runCliAsync(template.repo, ['pr', 'sync'], githubEnv(github));
      assert.equal(first.code, 0, first.stderr);
      const review = await runCliJsonAsync<ReviewDocument>(template.repo, ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never']);
      const logged = review.json.findings.find((finding) => finding.ruleId === 'debug-leftover' && finding.line === 9);
      assert.ok(logged, JSON.stringify(review.json.findings));
      assert.equal((await runCliAsync(template.repo, ['feedback', logged.id, '--down', '--reason', 'we log on purpose'])).code, 0);
      const [comments, feedback, again] = await Promise.all([
        runCliJsonAsync<PrCommentsDocument>(template.repo, ['pr', 'comments', '--json'], githubEnv(github)),
        runCliJsonAsync<unknown[]>(template.repo, ['feedback', '--list', '--json']),
        runCliJsonAsync<ReviewDocument>(template.repo, ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never', '--show-suppressed']),
      ]);
      stored = storedState(template.repo);
      storedUnsynced = storedState(template.repo, false);
      staticFindings = again.json.findings.map(({ ruleId, line, suppressed }) => ({ ruleId, line, suppressed: Boolean(suppressed) }));
      // What the CLI shows is what the database holds: the cases compare the rows.
      assert.deepEqual(comments.json.comments.map((comment) => comment.body), ['Why 50?']);
      assert.equal(feedback.json.length, 1);
      assert.deepEqual([stored.comments.length, stored.pulls.length, stored.votes.length], [1, 1, 1]);
    } finally {
      await github.close();
    }
    // Much of each case is waiting (a timeout, a retry): as many at once as there are processors for node's start-up.
    outcomes = runConcurrently<GitHubOutcome | LlmOutcome>([
      ...githubCases.map((c) => [`github: ${c.name}`, () => runGitHubCase(c)] as const),
      ...llmCases.map((c) => [`llm: ${c.name}`, () => runLlmCase(c)] as const),
    ], Math.max(2, os.availableParallelism()));
  });
  after(async () => {
    // Nothing may still run when the folders go.
    await Promise.allSettled([...(outcomes?.values() ?? [])]);
    cleanupRepos();
  });

  describe('GitHub: exit 2, one line, the synced pull request and the votes kept', () => {
    for (const c of githubCases) {
      it(c.name, async () => {
        const outcome = (await outcomes.get(`github: ${c.name}`)!) as GitHubOutcome;
        expectOneLineFailure(outcome.result, { code: 2, message: c.message });
        c.verify?.(outcome);
        const expected = c.resynced ? storedUnsynced : stored;
        assert.deepEqual(outcome.stored.votes, expected.votes, 'the votes are still there');
        assert.deepEqual(outcome.stored, expected, 'the synced pull request is still there');
      });
    }
  });

  describe('the LLM endpoint: a partial run, its error one line naming the endpoint, the static findings delivered', () => {
    for (const c of llmCases) {
      it(c.name, async () => {
        const outcome = (await outcomes.get(`llm: ${c.name}`)!) as LlmOutcome;
        const { result, document } = outcome;
        expectNoLeak(result.stdout);
        expectNoLeak(result.stderr);
        assert.equal(result.stderr, '', 'nothing on stderr: the error is in the run');
        // Not 2: the review ran; the debugger statement (a warning, with --fail-on warning) fails it as it would without an LLM.
        assert.equal(result.code, 1, result.stderr);
        assert.equal(document.run.status, 'partial');
        const errors = document.run.errors.filter((error) => error.stage === 'llm');
        assert.equal(errors.length, 1, JSON.stringify(document.run.errors));
        assert.match(errors[0].message, c.message);
        assert.doesNotMatch(errors[0].message, /\n|sk-test/);
        assert.deepEqual(document.findings.map(({ ruleId, line, suppressed }) => ({ ruleId, line, suppressed: Boolean(suppressed) })), staticFindings.filter((finding) => !finding.suppressed), 'the static findings are all there');
        assert.equal(document.run.llm?.hunksFailed, 1);
        c.verify?.(outcome);
      });
    }
  });
});

/**
 * The GitHub side of the team service against the fake GitHub on 127.0.0.1 and
 * real git repositories: publishing by pull-request number (twice on one head
 * posts once; a changed finding on a new head is an edit), the Diffwise check
 * run (one per head, annotations in batches of 50, conclusions), installation
 * tokens from a GitHub App's key (the JWT verified, refreshed when it nears its
 * expiry, a wrong key as one line), and the team's votes from reactions and
 * replies on Diffwise's comments.
 */
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import type { Finding, ReviewDocument } from '../../shared/review';
import { GitHubAccessTokens, cloneUrlWithToken } from '../../server/github/appAuth';
import { CheckRunsUnavailableError, completeCheckRun, conclusionFor, startCheckRun } from '../../server/github/checkRuns';
import { CommitStatusUnavailableError, setCommitStatus, statusDescription, statusFor } from '../../server/github/commitStatus';
import { createOctokit, GitHubError, type GitHubClient } from '../../server/github/client';
import { fetchPull, publishPullReview, StaleHeadError } from '../../server/github/pullPublication';
import { gitHubRepositoryOf, type GitHubRepository } from '../../server/github/remote';
import { teamVotesOf } from '../../server/github/teamVotes';
import { githubTimeouts } from '../../server/github/transport';
import { Workspace } from '../../server/workspace';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fakeGitHub';
import { cleanupRepos, commitAll, git, makeRepo, write } from '../helpers/gitRepo';

describe('the team service\'s GitHub side (fake GitHub on 127.0.0.1)', function () {
  this.timeout(60_000);
  let github: FakeGitHub;
  let repository: GitHubRepository;
  const open: Workspace[] = [];
  beforeEach(async () => {
    github = await startFakeGitHub();
    github.addRepository('octo', 'app');
    repository = gitHubRepositoryOf('octo/app', github.apiUrl);
  });
  afterEach(async () => {
    for (const workspace of open.splice(0)) workspace.close();
    await github.close();
  });
  after(cleanupRepos);

  const clientWith = (token: string): GitHubClient => createOctokit(repository, token, githubTimeouts({}));

  /** main, then `feature` adding two debug leftovers on lines 2 and 3 of src/api.ts (pull request #9 on the fake). */
  async function debugPull(): Promise<{ repo: string; workspace: Workspace; base: string; head: string }> {
    const repo = makeRepo();
    write(repo, 'src/api.ts', 'export function parse(input: string): number {\n  return input.length;\n}\n');
    const base = commitAll(repo, 'initial');
    git(repo, 'checkout', '-q', '-b', 'feature');
    write(repo, 'src/api.ts', 'export function parse(input: string): number {\n  console.log(input);\n  debugger;\n  return input.length;\n}\n');
    const head = commitAll(repo, 'feature');
    github.addPull('octo', 'app', { number: 9, title: 'Debug', head: { ref: 'feature', sha: head }, base: { ref: 'main', sha: base } });
    github.setDiffLines('octo', 'app', 9, 'src/api.ts', [2, 3]);
    const workspace = await Workspace.open({ dir: repo });
    open.push(workspace);
    return { repo, workspace, base, head };
  }

  const reviewOf = (workspace: Workspace, base: string) => workspace.review({ scope: 'branch', base, trigger: 'service', showSuppressed: true, useCache: false });

  describe('publishing by pull-request number', () => {
    it('posts one review on the head, and nothing the second time on the same head', async () => {
      const { workspace, base, head } = await debugPull();
      const document = await reviewOf(workspace, base);
      assert.equal(document.findings.filter((finding) => finding.ruleId === 'debug-leftover').length, 2, JSON.stringify(document.findings.map((f) => f.ruleId)));
      const client = clientWith(github.token);
      const args = { octokit: client.octokit, client, store: workspace.prStore, repo: workspace.repo, repository, number: 9, document, headSha: head, baseSha: base };

      const first = await publishPullReview(args);
      assert.deepEqual([first.posted, first.updated, first.skipped], [2, 0, 0]);
      assert.match(first.reviewUrl ?? '', /pull\/9#pullrequestreview-\d+$/);
      assert.equal(github.posted.reviews.length, 1);
      assert.equal(github.posted.reviews[0].commitId, head, 'the review is on the reviewed head');
      assert.deepEqual(github.posted.reviewComments.map((comment) => [comment.path, comment.line]), [['src/api.ts', 2], ['src/api.ts', 3]]);

      const again = await publishPullReview(args);
      assert.deepEqual([again.posted, again.updated, again.skipped, again.reviewUrl], [0, 0, 2, null]);
      assert.equal(github.posted.reviews.length, 1, 'no second review');
      assert.equal(github.posted.reviewComments.length, 2, 'no duplicate comment');
      assert.equal(github.posted.edits.length, 0);
    });

    it('edits the comment of a finding that changed on a new head, and refuses a head the pull request left', async () => {
      const { repo, workspace, base, head } = await debugPull();
      const client = clientWith(github.token);
      const common = { octokit: client.octokit, client, store: workspace.prStore, repo: workspace.repo, repository, number: 9, baseSha: base };
      await publishPullReview({ ...common, document: await reviewOf(workspace, base), headSha: head });

      // A push that changes nothing the findings stand on: their ids hold; one finding's message differs (a newer rule's wording).
      write(repo, 'README.md', 'notes\n');
      const newHead = commitAll(repo, 'docs');
      github.pull('octo', 'app', 9).head.sha = newHead;
      const document = await reviewOf(workspace, base);
      const changed: ReviewDocument = { ...document, findings: document.findings.map((finding) => (finding.line === 3 ? { ...finding, message: `${finding.message} (reworded)` } : finding)) };
      const result = await publishPullReview({ ...common, document: changed, headSha: newHead });
      assert.deepEqual([result.posted, result.updated, result.skipped], [0, 1, 1]);
      assert.equal(github.posted.reviews.length, 1, 'an edit needs no new review');
      assert.equal(github.posted.edits.length, 1);
      assert.match(github.posted.edits[0].body, /\(reworded\)/);

      await assert.rejects(publishPullReview({ ...common, document: changed, headSha: head }), (error: unknown) => {
        assert.ok(error instanceof StaleHeadError, String(error));
        assert.match((error as Error).message, /^pull request #9 moved on to [0-9a-f]{8} while [0-9a-f]{8} was reviewed/);
        return true;
      });
      assert.equal(github.posted.reviews.length, 1);
    });

    it('fetches a pull request by number, checked, and says when it is not there', async () => {
      const { base, head } = await debugPull();
      const client = clientWith(github.token);
      const pull = await fetchPull(client.octokit, repository, 9);
      assert.deepEqual([pull.number, pull.headSha, pull.baseSha, pull.headRef, pull.state, pull.repository], [9, head, base, 'feature', 'open', 'octo/app']);
      await assert.rejects(fetchPull(client.octokit, repository, 404), /octo\/app was not found/);
    });
  });

  describe('the check run', () => {
    const head = 'c'.repeat(40);

    it('is started once per head: a retried job finds it again', async () => {
      const client = clientWith(github.token);
      const first = await startCheckRun(client.octokit, repository, head, { externalId: 'job-1' });
      const second = await startCheckRun(client.octokit, repository, head, { name: 'Diffwise' });
      assert.equal(second, first);
      const runs = github.checkRuns('octo', 'app', head);
      assert.deepEqual(runs.map((run) => [run.id, run.name, run.status, run.externalId]), [[first, 'Diffwise', 'in_progress', 'job-1']]);
      assert.ok(runs[0].startedAt);
      const other = await startCheckRun(client.octokit, repository, 'd'.repeat(40));
      assert.notEqual(other, first, 'another head has its own');
    });

    it('sends 120 annotations in 3 PATCHes of at most 50 and completes with the conclusion', async () => {
      const client = clientWith(github.token);
      const id = await startCheckRun(client.octokit, repository, head);
      const findings = Array.from({ length: 120 }, (_, i) => finding({ ruleId: i % 3 === 0 ? 'secret' : 'debug-leftover', severity: i % 3 === 0 ? 'error' : i % 3 === 1 ? 'warning' : 'info', line: i + 1 }));
      const doc = documentWith(findings);
      await completeCheckRun(client.octokit, repository, id, doc, conclusionFor(doc, 'error'));
      const patches = github.requests.filter((request) => request.method === 'PATCH' && request.path === `/repos/octo/app/check-runs/${id}`);
      assert.deepEqual(patches.map((request) => request.body.output.annotations.length), [50, 50, 20]);
      assert.deepEqual(patches.map((request) => request.body.status ?? 'in progress'), ['in progress', 'in progress', 'completed'], 'completed by the last one only');
      const [run] = github.checkRuns('octo', 'app', head);
      assert.deepEqual([run.status, run.conclusion, run.output.annotations.length], ['completed', 'failure', 120]);
      assert.deepEqual(run.output.annotations[0], { path: 'src/a.ts', start_line: 1, end_line: 1, annotation_level: 'failure', message: 'finding 1', title: 'secret' });
      assert.deepEqual(run.output.annotations.slice(1, 3).map((a) => a.annotation_level), ['warning', 'notice']);
      assert.equal(run.output.title, '120 problems: 40 errors, 40 warnings, 40 info');
      assert.match(run.output.summary ?? '', /\| error \| 40 \|/);
      assert.match(run.output.summary ?? '', /\| `debug-leftover` \| 0 \| 40 \| 40 \|\n\| `secret` \| 40 \| 0 \| 0 \|/);
    });

    it('is refused above 50 annotations in one request, as GitHub refuses it', async () => {
      const client = clientWith(github.token);
      const id = await startCheckRun(client.octokit, repository, head);
      const annotations = Array.from({ length: 51 }, (_, i) => ({ path: 'a.ts', start_line: i + 1, end_line: i + 1, annotation_level: 'notice', message: 'x' }));
      await assert.rejects(client.octokit.request(`PATCH /repos/octo/app/check-runs/${id}`, { output: { title: 't', summary: 's', annotations } }), (error: { status?: number }) => error.status === 422);
      assert.equal(github.checkRuns('octo', 'app', head)[0].output.annotations.length, 0);
    });

    it('follows --fail-on, is neutral for a failed or partial review and cancelled when superseded', async () => {
      const warning = documentWith([finding({ severity: 'warning' })]);
      assert.deepEqual(['error', 'warning', 'info', 'never'].map((failOn) => conclusionFor(warning, failOn as 'error')), ['success', 'failure', 'failure', 'success']);
      const suppressed = documentWith([{ ...finding({ severity: 'error' }), suppressed: true }]);
      assert.equal(conclusionFor(suppressed, 'error'), 'success', 'a finding the team voted down does not fail the check');
      const failed = documentWith([], { status: 'failed', errors: [{ stage: 'store', message: 'disk full', fatal: true }] });
      assert.equal(conclusionFor(failed, 'never'), 'neutral');
      const partial = documentWith([], { status: 'partial' });
      assert.equal(conclusionFor(partial, 'error'), 'neutral');

      const client = clientWith(github.token);
      const id = await startCheckRun(client.octokit, repository, head);
      await completeCheckRun(client.octokit, repository, id, partial, 'neutral');
      assert.match(github.checkRuns('octo', 'app', head)[0].output.summary ?? '', /^\*\*The review was partial/);
      const later = await startCheckRun(client.octokit, repository, 'e'.repeat(40));
      await completeCheckRun(client.octokit, repository, later, null, 'cancelled');
      const superseded = github.checkRuns('octo', 'app', 'e'.repeat(40))[0];
      assert.deepEqual([superseded.conclusion, superseded.output.title], ['cancelled', 'Superseded']);
      assert.match(superseded.output.summary ?? '', /superseded by a newer push/i);
      const broken = await startCheckRun(client.octokit, repository, 'f'.repeat(40));
      await completeCheckRun(client.octokit, repository, broken, null, 'neutral', 'cannot fetch the head: it was force-pushed away');
      assert.deepEqual([github.checkRuns('octo', 'app', 'f'.repeat(40))[0].conclusion, github.checkRuns('octo', 'app', 'f'.repeat(40))[0].output.summary], ['neutral', 'cannot fetch the head: it was force-pushed away']);
    });

    it('says that only a GitHub App may write check runs when GitHub refuses a personal token', async () => {
      github.checkRunsNeedApp = true;
      const client = clientWith(github.token);
      await assert.rejects(startCheckRun(client.octokit, repository, head), (error: unknown) => {
        assert.ok(error instanceof CheckRunsUnavailableError, String(error));
        assert.match((error as Error).message, /^cannot write check runs on octo\/app \(403 You must authenticate via a GitHub App\.\): GitHub lets only a GitHub App/);
        return true;
      });
    });
  });

  describe('the commit status (the gate when check runs are refused)', () => {
    const head = 'c'.repeat(40);

    it('is written as GitHub\'s status schema gives it, the latest per context listed first', async () => {
      github.checkRunsNeedApp = true;
      const client = clientWith(github.token);
      const first = await setCommitStatus(client.octokit, repository, head, 'pending', 'Diffwise is reviewing this commit');
      const second = await setCommitStatus(client.octokit, repository, head, 'failure', `${'x'.repeat(200)}`, { targetUrl: 'https://github.com/octo/app/pull/9#pullrequestreview-1' });
      assert.ok(second > first);
      const statuses = github.statuses('octo', 'app', head);
      assert.deepEqual(statuses.map((status) => [status.id, status.state, status.context, status.creator]), [[first, 'pending', 'Diffwise', github.login], [second, 'failure', 'Diffwise', github.login]]);
      assert.equal(statuses[1].description?.length, 140, 'cut to GitHub\'s 140 characters');
      assert.equal(statuses[1].targetUrl, 'https://github.com/octo/app/pull/9#pullrequestreview-1');
      assert.equal(statuses[0].targetUrl, null);
      const listed = await client.octokit.request(`GET /repos/octo/app/commits/${head}/statuses`);
      assert.deepEqual((listed.data as Array<{ id: number; state: string }>).map((status) => [status.id, status.state]), [[second, 'failure'], [first, 'pending']], 'newest first');
      const [newest] = listed.data as Array<Record<string, unknown>>;
      for (const field of ['url', 'avatar_url', 'id', 'node_id', 'state', 'description', 'target_url', 'context', 'created_at', 'updated_at', 'creator']) assert.ok(field in newest, field);
    });

    it('is refused as GitHub refuses it: a long description, an unknown state, a token without push access, an app without the permission', async () => {
      const client = clientWith(github.token);
      const post = (body: Record<string, unknown>, sha = head) => client.octokit.request(`POST /repos/octo/app/statuses/${sha}`, body);
      await assert.rejects(post({ state: 'success', description: 'x'.repeat(141) }), (error: { status?: number; response?: { data?: { errors?: Array<{ field: string }> } } }) => error.status === 422 && error.response?.data?.errors?.[0].field === 'description');
      await assert.rejects(post({ state: 'neutral' }), (error: { status?: number }) => error.status === 422);
      await assert.rejects(post({ state: 'success' }, 'main'), (error: { status?: number; response?: { data?: { message?: string } } }) => error.status === 422 && error.response?.data?.message === 'No commit found for SHA: main');
      assert.equal(github.statuses('octo', 'app').length, 0);

      github.addRepository('octo', 'locked', { writers: ['someone-else'] });
      const locked = gitHubRepositoryOf('octo/locked', github.apiUrl);
      await assert.rejects(setCommitStatus(createOctokit(locked, github.token, githubTimeouts({})).octokit, locked, head, 'success', 'ok'), (error: unknown) => {
        assert.ok(error instanceof CommitStatusUnavailableError, String(error));
        assert.match((error as Error).message, /^cannot write commit statuses on octo\/locked \(403 Resource not accessible by personal access token\): GITHUB_TOKEN needs the "Commit statuses" permission/);
        return true;
      });

      const app = github.addApp();
      const installation = github.installApp(app.id, 'octo', 'app');
      const tokens = new GitHubAccessTokens({ mode: 'app', appId: String(app.id), privateKey: app.privateKeyPem }, github.apiUrl);
      await assert.rejects(setCommitStatus(clientWith(await tokens.tokenFor(installation)).octokit, repository, head, 'success', 'ok'), CommitStatusUnavailableError);
      assert.equal(github.statuses('octo', 'app').length, 0);
    });

    it('maps the check run\'s conclusions to states and says the review in one line', () => {
      assert.deepEqual((['success', 'failure', 'neutral', 'cancelled'] as const).map((conclusion) => statusFor(conclusion)), ['success', 'failure', 'error', 'pending']);
      const doc = documentWith([finding({ severity: 'error' }), finding({ severity: 'warning', line: 2 }), { ...finding({ severity: 'error', line: 3 }), suppressed: true }]);
      assert.equal(statusDescription(doc, 'failure'), '2 problems: 1 error, 1 warning, 0 info');
      assert.equal(statusDescription(documentWith([]), 'success'), 'No problems found');
      assert.equal(statusDescription(documentWith([], { status: 'partial' }), 'neutral'), 'Partial review (not every file judged): no problems found');
      // Partial passes as a neutral check run does (both modes gate alike); failed blocks.
      assert.equal(statusFor('neutral', documentWith([], { status: 'partial' })), 'success');
      assert.equal(statusFor('neutral', documentWith([], { status: 'failed' })), 'error');
      assert.equal(statusDescription(documentWith([], { status: 'failed', errors: [{ stage: 'store', message: 'disk full', fatal: true }] }), 'neutral'), 'The review failed (store: disk full)');
      assert.equal(statusDescription(null, 'neutral', 'cannot fetch the head'), 'The review could not be done: cannot fetch the head');
      assert.match(statusDescription(null, 'cancelled'), /^Superseded by a newer push/);
      assert.equal(statusDescription(null, 'neutral', 'y'.repeat(500)).length, 140);
    });
  });

  describe('publishing without the sync after it (the worker\'s way)', () => {
    it('posts nothing the second time on the same head: the sync before planning sees the first', async () => {
      const { workspace, base, head } = await debugPull();
      const client = clientWith(github.token);
      const args = { octokit: client.octokit, client, store: workspace.prStore, repo: workspace.repo, repository, number: 9, document: await reviewOf(workspace, base), headSha: head, baseSha: base, resyncAfter: false };
      const syncs = () => github.requests.filter((request) => request.path === '/graphql').length;

      const first = await publishPullReview(args);
      assert.deepEqual([first.posted, first.updated, first.skipped], [2, 0, 0]);
      assert.equal(syncs(), 1, 'one sync (its GraphQL query) before posting, none after');
      assert.equal(workspace.prStore.comments('octo/app', 9).length, 0, 'the store does not hold what was posted yet');

      const again = await publishPullReview(args);
      assert.deepEqual([again.posted, again.updated, again.skipped, again.reviewUrl], [0, 0, 2, null]);
      assert.equal(github.posted.reviews.length, 1, 'no second review');
      assert.equal(github.posted.reviewComments.length, 2, 'no duplicate comment');
      assert.equal(syncs(), 2);

      const withResync = await publishPullReview({ ...args, resyncAfter: undefined });
      assert.equal(withResync.posted, 0);
      assert.equal(syncs(), 4, 'by default a sync before and one after');
    });
  });

  describe('installation tokens', () => {
    it('mints one from the app\'s key (its JWT verified), uses it on the repository, and reuses it while fresh', async () => {
      const app = github.addApp();
      const installation = github.installApp(app.id, 'octo', 'app');
      const tokens = new GitHubAccessTokens({ mode: 'app', appId: String(app.id), privateKey: app.privateKeyPem }, github.apiUrl);
      const token = await tokens.tokenFor(installation);
      assert.match(token, /^ghs_[A-Za-z0-9]{36}$/);
      const minting = github.requests.filter((request) => request.path === `/app/installations/${installation}/access_tokens`);
      assert.deepEqual(minting.map((request) => [request.method, request.status]), [['POST', 201]]);
      assert.match(String(minting[0].headers.authorization), /^bearer [\w-]+\.[\w-]+\.[\w-]+$/i, 'signed with a JWT');

      assert.equal(await tokens.tokenFor(installation), token, 'a fresh token is reused');
      assert.equal(github.requests.filter((request) => request.path.endsWith('/access_tokens')).length, 1);

      const client = clientWith(token);
      const id = await startCheckRun(client.octokit, repository, 'a'.repeat(40));
      assert.ok(id > 0, 'the installation may write check runs');
      assert.equal(await tokens.installationOf({ owner: 'octo', repo: 'app' }), installation);

      github.addRepository('octo', 'other', { private: true });
      await assert.rejects(clientWith(token).octokit.request('GET /repos/octo/other/pulls'), (error: { status?: number }) => error.status === 404, 'outside its installation, a private repository is not found');
      const tokenMode = new GitHubAccessTokens({ mode: 'token', token: github.token }, github.apiUrl);
      assert.equal(await tokenMode.tokenFor(null), github.token);
    });

    it('refreshes a token that nears its expiry; the expired one is refused', async () => {
      const app = github.addApp();
      const installation = github.installApp(app.id, 'octo');
      github.tokenLifetimeMs = 1500;
      const tokens = new GitHubAccessTokens({ mode: 'app', appId: String(app.id), privateKey: app.privateKeyPem }, github.apiUrl, { refreshMarginMs: 500 });
      const first = await tokens.tokenFor(installation);
      assert.equal(await tokens.tokenFor(installation), first);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const second = await tokens.tokenFor(installation);
      assert.notEqual(second, first, 'less than the margin left: a new token');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await assert.rejects(clientWith(first).octokit.request('GET /repos/octo/app/pulls'), (error: { status?: number; response?: { data?: { message?: string } } }) => error.status === 401 && error.response?.data?.message === 'Bad credentials');
    });

    it('says in one line what is wrong with the app, never showing the key', async () => {
      const app = github.addApp();
      const installation = github.installApp(app.id, 'octo', 'app');
      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
      const wrong = new GitHubAccessTokens({ mode: 'app', appId: String(app.id), privateKey: otherKey }, github.apiUrl);
      await assert.rejects(wrong.tokenFor(installation), (error: unknown) => {
        assert.ok(error instanceof GitHubError);
        const message = (error as Error).message;
        assert.match(message, new RegExp(`^GitHub refused GitHub App ${app.id}'s signed request \\(401 A JSON web token could not be decoded\\): GITHUB_APP_PRIVATE_KEY must be a current key of app ${app.id}`));
        assert.doesNotMatch(message, /PRIVATE KEY|\n/);
        return true;
      });
      const right = new GitHubAccessTokens({ mode: 'app', appId: String(app.id), privateKey: app.privateKeyPem }, github.apiUrl);
      await assert.rejects(right.tokenFor(424242), new RegExp(`^GitHubError: GitHub App ${app.id} has no installation 424242 on http://127\\.0\\.0\\.1:\\d+ \\(404 Not Found\\)`));
      await assert.rejects(right.tokenFor(null), /the event names no installation/);
      await assert.rejects(right.installationOf({ owner: 'octo', repo: 'elsewhere' }), new RegExp(`GitHub App ${app.id} is not installed on octo/elsewhere \\(404\\)`));
      assert.throws(() => new GitHubAccessTokens({ mode: 'app', appId: '7', privateKey: '-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----' }), (error: unknown) => {
        assert.match((error as Error).message, /^GITHUB_APP_PRIVATE_KEY for GitHub App 7 is not a usable private key \(\w+\): use the \.pem file GitHub generated for the app$/);
        return true;
      });
    });

    it('is refused a JWT GitHub would refuse: unsigned by the app, another issuer, expired, or valid for more than 10 minutes', async () => {
      const app = github.addApp();
      const installation = github.installApp(app.id, 'octo', 'app');
      const jwt = (payload: object, key = app.privateKeyPem): string => {
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(payload)}`;
        return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
      };
      const seconds = Math.floor(Date.now() / 1000);
      const mint = async (token: string) => {
        const response = await fetch(`${github.apiUrl}/app/installations/${installation}/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' } });
        return [response.status, ((await response.json()) as { message?: string }).message ?? 'token'];
      };
      assert.deepEqual(await mint(jwt({ iat: seconds - 30, exp: seconds + 570, iss: app.id })), [201, 'token']);
      assert.deepEqual(await mint(jwt({ iat: seconds - 30, exp: seconds + 570, iss: String(app.id) })), [201, 'token'], 'iss as a string too');
      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
      assert.deepEqual(await mint(jwt({ iat: seconds - 30, exp: seconds + 570, iss: app.id }, otherKey)), [401, 'A JSON web token could not be decoded']);
      assert.deepEqual(await mint(jwt({ iat: seconds - 30, exp: seconds + 570, iss: 999_999 })), [401, 'Integration not found']);
      assert.match(String((await mint(jwt({ iat: seconds - 700, exp: seconds - 100, iss: app.id })))[1]), /'Expiration time' claim \('exp'\)/);
      assert.match(String((await mint(jwt({ iat: seconds, exp: seconds + 1200, iss: app.id })))[1]), /'Expiration time' claim \('exp'\)/);
      assert.deepEqual(await mint('not-a-jwt'), [401, 'A JSON web token could not be decoded']);
      const appAnswer = await fetch(`${github.apiUrl}/app`, { headers: { authorization: `Bearer ${jwt({ iat: seconds - 30, exp: seconds + 570, iss: app.id })}` } });
      assert.deepEqual([appAnswer.status, ((await appAnswer.json()) as { id: number; slug: string }).slug], [200, app.slug]);
      assert.deepEqual((await mint(github.token))[0], 401, 'a personal token is no JWT');
    });

    it('puts the token in an https clone URL only', () => {
      assert.equal(cloneUrlWithToken('https://github.com/octo/app.git', 'ghs_abc'), 'https://x-access-token:ghs_abc@github.com/octo/app.git');
      assert.equal(cloneUrlWithToken('https://old:secret@ghe.example.com/octo/app.git', 'ghs_abc'), 'https://x-access-token:ghs_abc@ghe.example.com/octo/app.git');
      assert.equal(cloneUrlWithToken('file:///tmp/app.git', 'ghs_abc'), 'file:///tmp/app.git');
      assert.equal(cloneUrlWithToken('git@github.com:octo/app.git', 'ghs_abc'), 'git@github.com:octo/app.git');
    });
  });

  describe('the team\'s votes', () => {
    it('turns 👍/👎 on Diffwise\'s comments and voting replies into deterministic votes, which a clone imports once', async () => {
      const { workspace, base, head } = await debugPull();
      const client = clientWith(github.token);
      await publishPullReview({ octokit: client.octokit, client, store: workspace.prStore, repo: workspace.repo, repository, number: 9, document: await reviewOf(workspace, base), headSha: head, baseSha: base });
      const [onLog, onDebugger] = github.posted.reviewComments;
      const react = (commentId: number, user: string, content: '+1' | '-1' | 'heart') => github.comment(commentId).reactions.push({ id: 90_000 + github.comment(commentId).reactions.length, user, content, createdAt: '2026-12-01T10:00:00Z' });
      react(onLog.id, 'alice', '-1');
      react(onLog.id, 'bob', 'heart');
      react(onDebugger.id, 'carol', '+1');
      react(onDebugger.id, 'ci-helper[bot]', '-1');
      github.addReviewComment('octo', 'app', 9, { path: 'src/api.ts', line: 2, inReplyTo: onLog.id, user: 'bob', body: 'False positive: this log is the point of the change' });
      github.addReviewComment('octo', 'app', 9, { path: 'src/api.ts', line: 3, inReplyTo: onDebugger.id, user: 'dave', body: 'why is this here?' });
      github.addReviewComment('octo', 'app', 9, { path: 'src/api.ts', line: 3, inReplyTo: onDebugger.id, user: 'erin', body: '/diffwise up' });

      const now = new Date('2026-12-03T00:00:00Z');
      const votes = await teamVotesOf(client.octokit, repository, 9, workspace.prStore, now);
      const summary = votes.map((vote) => [vote.commentId, vote.voter, vote.source, vote.record.vote]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));
      assert.deepEqual(summary, [
        [onLog.id, 'alice', 'reaction', 'down'],
        [onLog.id, 'bob', 'reply', 'down'],
        [onDebugger.id, 'carol', 'reaction', 'up'],
        [onDebugger.id, 'erin', 'reply', 'up'],
      ]);
      const alice = votes.find((vote) => vote.voter === 'alice')!.record;
      const findingId = /<!-- diffwise:finding=([0-9a-f]{16}) -->/.exec(onLog.body)![1];
      assert.deepEqual(
        [alice.findingId, alice.ruleId, alice.category, alice.source, alice.severity, alice.file, alice.line, alice.origin, alice.createdAt, alice.reason],
        [findingId, 'debug-leftover', 'debug-leftover', 'static', 'warning', 'src/api.ts', 2, 'imported', '2026-12-01T10:00:00Z', null],
      );
      assert.equal(votes.find((vote) => vote.voter === 'bob')!.record.reason, 'this log is the point of the change');
      assert.match(alice.message, /console/i);

      const again = await teamVotesOf(client.octokit, repository, 9, workspace.prStore, now);
      assert.deepEqual(again.map((vote) => vote.record.id).sort(), votes.map((vote) => vote.record.id).sort(), 'the same ids each time');
      assert.equal(await workspace.importVotes(votes.map((vote) => vote.record)), 4);
      assert.equal(await workspace.importVotes(again.map((vote) => vote.record)), 0, 'importing them again adds nothing');
    });
  });
});

function finding(overrides: Partial<Finding> = {}): Finding {
  const line = overrides.line ?? 1;
  return {
    id: (line.toString(16) + 'f'.repeat(16)).slice(0, 16), ruleId: 'debug-leftover', source: 'static', severity: 'warning', file: 'src/a.ts', line, endLine: line,
    message: `finding ${line}`, suggestion: null, symbol: null, related: [], ...overrides,
  };
}

function documentWith(findings: Finding[], run: Partial<ReviewDocument['run']> = {}): ReviewDocument {
  return {
    run: {
      id: 'run-1', scope: 'branch', base: 'main', mergeBase: null, head: null, status: 'ok', startedAt: '2026-12-03T00:00:00Z', durationMs: 10, files: 1, hunks: 1, cacheHits: 0,
      llmCalls: 0, tokens: { prompt: 0, completion: 0 }, costUsd: 0, errors: [], notices: [], skipped: [], llm: null, learning: { suppressed: 0, demoted: 0 }, ...run,
    },
    findings,
  };
}

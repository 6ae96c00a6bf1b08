/**
 * Pull-request comment sync through the built CLI, against a GitHub REST and
 * GraphQL server on 127.0.0.1 that the tests start (test/helpers/fakeGitHub.ts):
 * finding the branch's PR from `origin`, incremental syncs (ETags, since),
 * pagination, placing comments on the working tree or marking them outdated,
 * and the errors a user can act on.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { PrCommentsDocument, PrSyncResult } from '../../shared/github';
import { runCliAsync, runCliJsonAsync } from '../helpers/cli';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fakeGitHub';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, write } from '../helpers/gitRepo';
import { TestLspClient } from '../helpers/lspClient';
import { featureRepo, lines } from '../helpers/prRepo';
import { PrCommentsRequest, PrReplyRequest, PrResolveRequest, PrSyncRequest, PrVoteRequest } from '../../shared/protocol';


describe('diffwise pr sync / pr comments (fake GitHub on 127.0.0.1)', function () {
  this.timeout(60_000);
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub();
    github.addRepository('octo', 'app');
  });
  afterEach(async () => {
    await github.close();
  });
  after(cleanupRepos);

  const env = (extra: NodeJS.ProcessEnv = {}) => ({ GITHUB_TOKEN: github.token, DIFFWISE_GITHUB_API_URL: github.apiUrl, ...extra });
  const sync = (repo: string, extra?: NodeJS.ProcessEnv) => runCliJsonAsync<PrSyncResult>(repo, ['pr', 'sync', '--json'], env(extra));
  const comments = async (repo: string) => (await runCliJsonAsync<PrCommentsDocument>(repo, ['pr', 'comments', '--json'], env())).json;

  function pullWithComments(head: string, base: string) {
    github.addPull('octo', 'app', { number: 7, title: 'Scale the lines', head: { ref: 'feature', sha: head }, base: { ref: 'main', sha: base } });
    github.setDiffLines('octo', 'app', 7, 'src/app.ts', [5, 8]);
    const why = github.addReviewComment('octo', 'app', 7, { path: 'src/app.ts', line: 5, body: 'Why 50?', user: 'alice', commitId: head });
    const reply = github.addReviewComment('octo', 'app', 7, { path: 'src/app.ts', line: 5, body: 'It is the new scale.', user: 'bob', inReplyTo: why.id, commitId: head });
    const nit = github.addReviewComment('octo', 'app', 7, { path: 'src/app.ts', line: 8, body: '```suggestion\nexport const line8 = 81;\n```', user: 'alice', commitId: head });
    github.resolveThread(nit.id, true);
    return { why, reply, nit };
  }

  it('syncs the branch\'s pull request, places each comment on the working tree, and marks changed lines outdated', async () => {
    const { repo, head, base } = featureRepo();
    const { why, reply, nit } = pullWithComments(head, base);
    // Uncommitted: two lines above both comments, and line 8 (the nit's) rewritten.
    const edited = ['// one', '// two', ...lines(10)];
    edited[2 + 4] = 'export const line5 = 50;';
    edited[2 + 7] = 'export const line8 = 88;';
    write(repo, 'src/app.ts', `${edited.join('\n')}\n`);

    const first = await sync(repo);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(
      { number: first.json.pull.number, head: first.json.pull.headRef, comments: first.json.comments, threads: first.json.threads, added: first.json.newComments },
      { number: 7, head: 'feature', comments: 3, threads: 2, added: 3 },
    );
    assert.equal(first.json.notModified, 0);
    assert.equal(github.requests.find((request) => request.path === '/repos/octo/app/pulls')?.query.head, 'octo:feature', 'the PR is found by its head branch');
    assert.ok(github.requests.every((request) => request.headers.authorization === `token ${github.token}` || request.headers.authorization === `Bearer ${github.token}`));

    const document = await comments(repo);
    const byId = new Map(document.comments.map((comment) => [comment.id, comment]));
    assert.deepEqual(
      [byId.get(why.id)!.line, byId.get(why.id)!.localLine, byId.get(why.id)!.outdated, byId.get(why.id)!.author, byId.get(why.id)!.resolved],
      [5, 7, false, 'alice', false],
      'two lines inserted above: line 5 at the PR head is line 7 here',
    );
    assert.deepEqual([byId.get(reply.id)!.inReplyTo, byId.get(reply.id)!.localLine, byId.get(reply.id)!.threadId], [why.id, 7, byId.get(why.id)!.threadId]);
    assert.deepEqual([byId.get(nit.id)!.localLine, byId.get(nit.id)!.outdated, byId.get(nit.id)!.resolved], [null, true, true], 'its line was rewritten: outdated, never on another line');
    for (const key of ['id', 'path', 'line', 'localLine', 'outdated', 'author', 'body', 'createdAt', 'inReplyTo', 'resolved']) assert.ok(key in byId.get(why.id)!, key);

    const text = await runCliAsync(repo, ['pr', 'comments'], env());
    assert.match(text.stdout, /^#7 Scale the lines/);
    assert.match(text.stdout, /\n {9}7 {2}@alice {2}Why 50\?/);
    assert.match(text.stdout, /outdated {2}@alice \(resolved\)/);
  });

  it('costs only 304s (and one GraphQL query) when nothing changed, and fetches only what changed since', async () => {
    const { repo, head, base } = featureRepo();
    const { nit } = pullWithComments(head, base);
    assert.equal((await sync(repo)).code, 0);
    // The second sync asks for the pull by number and for comments since the newest: two URLs seen for the first time.
    const second = await sync(repo);
    assert.deepEqual([second.json.requests, second.json.notModified, second.json.newComments], [4, 1, 0]);
    const before = github.requests.length;

    const idle = await sync(repo);
    assert.equal(idle.code, 0, idle.stderr);
    const rest = github.requests.slice(before).filter((request) => request.path !== '/graphql');
    assert.deepEqual(rest.map((request) => request.status), [304, 304, 304], rest.map((r) => `${r.method} ${r.path} ${r.status}`).join('\n'));
    assert.deepEqual([idle.json.requests, idle.json.notModified, idle.json.newComments, idle.json.updatedComments], [4, 3, 0, 0]);
    assert.ok(rest.every((request) => request.headers['if-none-match']), 'every REST request was conditional');

    github.addReviewComment('octo', 'app', 7, { path: 'src/app.ts', line: 8, body: 'And this one?', user: 'carol', commitId: head });
    const after = await sync(repo);
    assert.deepEqual([after.json.newComments, after.json.comments], [1, 4]);
    const commentsRequest = github.requests.filter((request) => request.path === '/repos/octo/app/pulls/7/comments').at(-1)!;
    assert.ok(commentsRequest.query.since, 'comments are asked for since the newest one stored');

    // `since` cannot show a deletion; the threads (which list every comment) do.
    github.deleteReviewComment(nit.id);
    const deleted = await sync(repo);
    assert.deepEqual([deleted.json.deletedComments, deleted.json.comments, deleted.json.threads], [1, 3, 2]);
    assert.ok(!(await comments(repo)).comments.some((comment) => comment.id === nit.id));
  });

  it('follows pagination and survives a 500 (retried)', async () => {
    const { repo, head, base } = featureRepo();
    pullWithComments(head, base);
    github.perPageMax = 2;
    github.failNext(500);
    const result = await sync(repo);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.json.comments, 3);
    assert.ok(github.requests.some((request) => request.path === '/repos/octo/app/pulls/7/comments' && request.query.page === '2'), 'the second page was fetched through the Link header');
  });

  it('says what is wrong, in one line, and never stores the token', async () => {
    const { repo, head, base } = featureRepo();
    const noPr = await runCliAsync(repo, ['pr', 'sync'], env());
    assert.equal(noPr.code, 2);
    assert.equal(noPr.stderr, 'diffwise: no open pull request for the branch feature on octo/app: push it and open one, or check out the pull request\'s branch\n');

    pullWithComments(head, base);
    const badToken = await runCliAsync(repo, ['pr', 'sync'], env({ GITHUB_TOKEN: 'not-the-token' }));
    assert.match(badToken.stderr, /^diffwise: GitHub rejected the token \(401 Bad credentials\): set GITHUB_TOKEN to a valid token\n$/);

    const reset = Math.floor(Date.now() / 1000) + 1800;
    github.rateLimit(reset);
    const limited = await runCliAsync(repo, ['pr', 'sync'], env());
    assert.match(limited.stderr, /^diffwise: GitHub's rate limit is used up until \d\d:\d\d UTC \(in (29|30) min\)\n$/);
    github.rateLimit(0);

    const db = `${makeTempDir()}/pr.db`;
    assert.equal((await runCliAsync(repo, ['pr', 'sync'], env({ DIFFWISE_DB: db }))).code, 0);
    for (const file of [db, `${db}-wal`]) if (fs.existsSync(file)) assert.ok(!fs.readFileSync(file).includes(github.token), `the token is not in ${file}`);

    const other = makeRepo();
    write(other, 'a.txt', 'a\n');
    commitAll(other, 'a');
    assert.match((await runCliAsync(other, ['pr', 'sync'], env())).stderr, /has no remote named origin/);
    git(other, 'remote', 'add', 'origin', 'https://gitlab.com/octo/app.git');
    assert.match((await runCliAsync(other, ['pr', 'sync'], { GITHUB_TOKEN: 'x' })).stderr, /the remote's host gitlab\.com is not github\.com; for GitHub Enterprise set DIFFWISE_GITHUB_API_URL/);
    git(repo, 'checkout', '-q', '--detach');
    assert.match((await runCliAsync(repo, ['pr', 'sync'], env())).stderr, /HEAD is detached/);
    assert.match((await runCliAsync(repo, ['pr', 'nope'], env())).stderr, /diffwise pr takes sync, comments or publish \(got nope\)/);
  });

  it('over LSP: syncs, lists, replies on GitHub and resolves a thread, with the editor\'s apiUrl setting', async () => {
    const { repo, head, base } = featureRepo();
    const { why, nit } = pullWithComments(head, base);
    // The API URL comes from the editor's diffwise.github.apiUrl, the token from the daemon's environment.
    const client = await TestLspClient.start(repo, { GITHUB_TOKEN: github.token });
    try {
      client.configuration = (item) => (item.section === 'diffwise.github' ? { apiUrl: github.apiUrl } : null);
      const result = await client.connection.sendRequest(PrSyncRequest.type, {});
      assert.equal(result.comments, 3);
      const document = await client.connection.sendRequest(PrCommentsRequest.type, {});
      assert.equal(document.comments.find((comment) => comment.id === why.id)?.localLine, 5);

      const reply = await client.connection.sendRequest(PrReplyRequest.type, { commentId: why.id, body: 'Fixed in the next commit.' });
      assert.deepEqual([reply.inReplyTo, reply.localLine, reply.body], [why.id, 5, 'Fixed in the next commit.']);
      assert.deepEqual(github.posted.replies.map((posted: { body: string }) => posted.body), ['Fixed in the next commit.']);

      const threadId = document.comments.find((comment) => comment.id === nit.id)!.threadId!;
      assert.deepEqual(await client.connection.sendRequest(PrResolveRequest.type, { threadId, resolved: false }), { threadId, resolved: false });
      assert.equal(github.thread(nit.id).isResolved, false);
      const after = await client.connection.sendRequest(PrCommentsRequest.type, {});
      assert.equal(after.comments.find((comment) => comment.id === nit.id)?.resolved, false);
      await assert.rejects(client.connection.sendRequest(PrResolveRequest.type, { threadId: 'no-such-thread', resolved: true }), /GitHub: .*NOT_FOUND/);

      // 👍 on a teammate's comment, with a GitHub reaction: kept as an example of what the team wants reviewed.
      const vote = await client.connection.sendRequest(PrVoteRequest.type, { commentId: why.id, vote: 'up', reason: 'good catch', react: true });
      assert.deepEqual([vote.source, vote.ruleId, vote.file, vote.line, vote.message], ['pull-request', 'pr/comment', 'src/app.ts', 5, 'Why 50?']);
      assert.deepEqual(github.posted.reactions.map((reaction: { content: string }) => reaction.content), ['+1']);
      await assert.rejects(client.connection.sendRequest(PrVoteRequest.type, { commentId: 424242, vote: 'up' }), /no synced pull-request comment 424242/);
      assert.ok(!client.logs.join('\n').includes(github.token), 'the token is never logged');
    } finally {
      await client.stop();
    }
  });

  it('publishes the findings as one review: line comments on added lines, the rest in the body, never twice, never what was voted down', async () => {
    const repo = makeRepo();
    write(repo, 'src/api.ts', 'export function parse(input: string): number {\n  return input.length;\n}\n\nexport function legacy(): number {\n  return 1;\n}\n');
    write(repo, 'src/main.ts', "import { legacy, parse } from './api';\n\nexport const n = parse('a') + legacy();\n");
    commitAll(repo, 'initial');
    const base = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'checkout', '-q', '-b', 'feature');
    // Adds two debug leftovers and removes an export that main.ts still uses (a finding on no added line).
    write(repo, 'src/api.ts', 'export function parse(input: string): number {\n  console.log(input);\n  debugger;\n  return input.length;\n}\n');
    commitAll(repo, 'feature');
    const head = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'remote', 'add', 'origin', 'https://github.com/octo/app.git');
    github.addPull('octo', 'app', { number: 9, title: 'Debug', head: { ref: 'feature', sha: head }, base: { ref: 'main', sha: base } });
    github.setDiffLines('octo', 'app', 9, 'src/api.ts', [2, 3]);

    const review = (await runCliJsonAsync<{ findings: Array<{ id: string; ruleId: string; line: number }> }>(repo, ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never'], env())).json;
    const debuggerFinding = review.findings.find((finding) => finding.line === 3)!;
    assert.equal((await runCliAsync(repo, ['feedback', debuggerFinding.id, '--down'], env())).code, 0);

    const dry = await runCliJsonAsync<{ posted: number; outsideDiff: number; suppressed: number; dryRun: boolean }>(repo, ['pr', 'publish', '--dry-run', '--json'], env());
    assert.deepEqual([dry.json.posted, dry.json.outsideDiff, dry.json.suppressed, dry.json.dryRun], [1, 1, 1, true], dry.stderr);
    assert.equal(github.posted.reviews.length, 0, 'a dry run posts nothing');

    const first = await runCliAsync(repo, ['pr', 'publish'], env());
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Published to #9: 1 new line comment\(s\), 0 edited, 0 already there, skipped, 1 outside the diff \(in the review's body\), 1 voted down or suppressed, left out\n/);
    assert.equal(github.posted.reviews.length, 1);
    const posted = github.posted.reviews[0];
    assert.deepEqual([posted.state, posted.commitId], ['COMMENTED', head]);
    assert.deepEqual(github.posted.reviewComments.map((comment) => [comment.path, comment.line]), [['src/api.ts', 2]]);
    assert.match(github.posted.reviewComments[0].body, /\*\*Diffwise · debug-leftover\*\* \(warning\)[\s\S]*<!-- diffwise:finding=[0-9a-f]{16} -->$/);
    assert.match(posted.body, /On lines outside the diff:\n- `src\/api\.ts:\d+` \*\*breaking-change\*\*/);

    const again = await runCliAsync(repo, ['pr', 'publish'], env());
    assert.match(again.stdout, /^Published to #9: 0 new line comment\(s\), 0 edited, 2 already there, skipped, 0 outside the diff .* \(nothing new: no review posted\)\n$/, again.stderr);
    assert.equal(github.posted.reviews.length, 1, 'publishing again posts no duplicate');

    write(repo, 'src/api.ts', 'export const changed = 1;\n');
    commitAll(repo, 'not pushed');
    assert.match((await runCliAsync(repo, ['pr', 'publish'], env())).stderr, /HEAD \([0-9a-f]{8}\) is not the head of pull request #9 .*push your commits/);
  });
});

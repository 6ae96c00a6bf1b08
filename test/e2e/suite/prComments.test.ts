/**
 * Pull-request comments in VS Code, against the real daemon and a fake GitHub (REST +
 * GraphQL, test/helpers/fakeGitHub.ts) started inside the extension host on 127.0.0.1.
 * The fixture's branch `feature` gets an `origin` on github.com and a pull request in
 * the fake; the token reaches the daemon the way a shell's does (GITHUB_TOKEN in VS
 * Code's environment, no GitHub session here), and `diffwise.github.apiUrl` points it
 * at the fake. Then: threads on the right working-tree lines of a locally edited file,
 * an outdated thread kept off its old line, a reply, Resolve/Unresolve, and Apply
 * Suggestion, each reaching the fake's recorded requests.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { daemonEnvironment } from '../../../extension/daemonEnv';
import { groupThreads, suggestionOf } from '../../../extension/prThreads';
import type { PrComment, PrSyncResult } from '../../../shared/github';
import { startFakeGitHub, type FakeComment, type FakeGitHub } from '../../helpers/fakeGitHub';
import { git } from '../../helpers/gitRepo';
import { fixture, uriOf, waitFor, type DiffwiseApi } from './helpers';

const FILE = 'src/api.ts';
/** Two lines inserted above everything in the working tree: GitHub's line 3 is line 5 here. */
const INSERTED = ['// e2e: a note above', '// e2e: and another', ''].join('\n');
const SUGGESTED = '  return Number.parseInt(input, radix);';
const REPLY = 'e2e: done, thanks';

/** Replaces the whole of src/api.ts in its document and saves it: document and disk agree after. */
async function setText(text: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uriOf(FILE));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(await document.save(), 'saved');
  assert.equal(fs.readFileSync(document.uri.fsPath, 'utf8'), text);
}

describe('Pull-request comments in VS Code', function () {
  this.timeout(90_000);
  let api: DiffwiseApi;
  let github: FakeGitHub;
  let root: FakeComment;
  let outdated: FakeComment;
  let fileBefore: string;
  let headText: string;
  let settingsExisted: boolean;
  const previousToken = process.env.GITHUB_TOKEN;
  const githubSettings = () => vscode.workspace.getConfiguration('diffwise.github');
  const byBody = (text: string) => api.prThreads().find((thread) => thread.bodies[0]?.includes(text));
  const mainThread = () => byBody('Number.parseInt');

  before(async () => {
    api = (await vscode.extensions.getExtension('diffwise.diffwise')!.activate()) as DiffwiseApi;
    const repo = fixture();
    github = await startFakeGitHub();
    github.addRepository('acme', 'app');
    const head = git(repo, 'rev-parse', 'HEAD');
    github.addPull('acme', 'app', { number: 12, title: 'parse takes a radix', head: { ref: 'feature', sha: head }, base: { ref: 'main', sha: git(repo, 'rev-parse', 'main') } });
    github.setDiffLines('acme', 'app', 12, FILE, [1, 2, 3, 4]);
    // feature's src/api.ts: line 3 is `  return parseInt(input, radix);`.
    root = github.addReviewComment('acme', 'app', 12, { path: FILE, line: 3, commitId: head, user: 'alice', body: `Prefer the global's own:\n\n\`\`\`suggestion\n${SUGGESTED}\n\`\`\`` });
    github.addReviewComment('acme', 'app', 12, { path: FILE, line: 3, commitId: head, user: 'bob', inReplyTo: root.id, body: 'Agreed, **please**.' });
    outdated = github.addReviewComment('acme', 'app', 12, { path: FILE, line: 1, commitId: head, user: 'alice', outdated: true, body: 'Name it `parseNumber`:\n```suggestion\nexport function parseNumber(input: string, radix: number): number {\n```' });

    git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/app.git');
    // Edited as a user does, in VS Code, and saved (an earlier suite may have the file open): the
    // PR head's text (which an earlier suite's quick fix may have changed) with two lines above it.
    fileBefore = fs.readFileSync(path.join(repo, FILE), 'utf8');
    headText = git(repo, 'show', `HEAD:${FILE}`) + '\n';
    await setText(INSERTED + headText);
    settingsExisted = fs.existsSync(path.join(repo, '.vscode', 'settings.json'));
    process.env.GITHUB_TOKEN = github.token;
    await githubSettings().update('apiUrl', github.apiUrl, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('diffwise.restartDaemon'); // a daemon with the token in its environment
  });

  after(async () => {
    const repo = fixture();
    if (fileBefore !== undefined) await setText(fileBefore);
    try { git(repo, 'remote', 'remove', 'origin'); } catch { /* not added */ }
    if (previousToken === undefined) delete process.env.GITHUB_TOKEN;
    else process.env.GITHUB_TOKEN = previousToken;
    await githubSettings().update('apiUrl', undefined, vscode.ConfigurationTarget.Workspace);
    // The file only: an empty .vscode/ is invisible to git, and VS Code keeps watching the folder.
    if (!settingsExisted) fs.rmSync(path.join(repo, '.vscode', 'settings.json'), { force: true });
    await github?.close();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('declares the pull-request commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['diffwise.syncPullRequestComments', 'diffwise.signInToGitHub', 'diffwise.replyToPrComment', 'diffwise.resolvePrThread', 'diffwise.unresolvePrThread', 'diffwise.applyPrSuggestion', 'diffwise.prCommentHelpful', 'diffwise.prCommentNotHelpful', 'diffwise.publishFindings']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('Sync Pull Request Comments: each thread on its working-tree line, two below GitHub\'s; an outdated one on no line of its own', async () => {
    const result = await waitFor('a sync', () => vscode.commands.executeCommand<PrSyncResult | undefined>('diffwise.syncPullRequestComments'), 30_000);
    assert.equal(result.pull.number, 12);
    assert.equal(result.comments, 3);
    assert.ok(github.requests.length > 0 && github.requests.every((request) => request.headers.authorization?.includes(github.token)), 'every request carries the token from the environment');

    const thread = await waitFor('the thread on src/api.ts', mainThread);
    assert.equal(thread.uri.toString(), uriOf(FILE).toString());
    assert.equal(thread.line, 5, `GitHub's line 3, below the two lines inserted locally: ${JSON.stringify(fs.readFileSync(uriOf(FILE).fsPath, 'utf8'))}`);
    assert.equal(thread.thread.range.end.line, 4);
    assert.equal(thread.resolved, false);
    assert.deepEqual(thread.bodies, [root.body, 'Agreed, **please**.']);
    assert.equal(thread.thread.label, 'PR #12');
    assert.equal(thread.thread.state, vscode.CommentThreadState.Unresolved);
    assert.equal(thread.thread.contextValue, 'prThread.unresolved');
    const [first, second] = thread.thread.comments;
    assert.equal(first.author.name, 'alice');
    assert.equal(second.author.name, 'bob');
    assert.ok(first.timestamp instanceof Date && !Number.isNaN(first.timestamp.getTime()));
    assert.ok(first.body instanceof vscode.MarkdownString && !first.body.isTrusted, 'markdown, not trusted');
    assert.equal(first.contextValue, 'prComment.suggestion');
    assert.equal(second.contextValue, 'prComment');

    const old = byBody('parseNumber');
    assert.ok(old, JSON.stringify(api.prThreads().map((t) => [t.line, t.bodies])));
    assert.deepEqual(old.bodies, [outdated.body]);
    assert.equal(old.line, null);
    assert.equal(old.outdated, true);
    assert.equal(old.thread.range.start.line, 0);
    assert.match(old.thread.label ?? '', /Outdated/);
  });

  it('a reply from the editor reaches GitHub and joins its thread', async () => {
    const thread = mainThread()!;
    const reply: vscode.CommentReply = { thread: thread.thread, text: REPLY };
    await vscode.commands.executeCommand('diffwise.replyToPrComment', reply);
    const posted = github.requests.find((request) => request.method === 'POST' && request.path === `/repos/acme/app/pulls/12/comments/${root.id}/replies`);
    assert.ok(posted, github.requests.map((request) => `${request.method} ${request.path}`).join(', '));
    assert.equal(posted.body.body, REPLY);
    assert.deepEqual(github.posted.replies.map((comment) => [comment.body, comment.inReplyTo]), [[REPLY, root.id]]);
    const updated = await waitFor('the reply in the thread', () => (mainThread()?.bodies.includes(REPLY) ? mainThread() : undefined));
    assert.equal(updated.thread, thread.thread, 'the same thread, updated in place');
  });

  it('👍 on a teammate\'s comment is recorded (a GitHub reaction too with diffwise.github.reactOnVote)', async () => {
    const settings = vscode.workspace.getConfiguration('diffwise.github');
    await settings.update('reactOnVote', true, vscode.ConfigurationTarget.Workspace);
    try {
      const comment = mainThread()!.thread.comments[0];
      const record = (await vscode.commands.executeCommand('diffwise.prCommentHelpful', comment)) as { source: string; vote: string; ruleId: string } | undefined;
      assert.deepEqual([record?.source, record?.vote, record?.ruleId], ['pull-request', 'up', 'pr/comment']);
      assert.deepEqual(github.posted.reactions.map((reaction) => reaction.content), ['+1']);
    } finally {
      await settings.update('reactOnVote', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Resolve and Unresolve Thread go to GitHub and change the thread\'s state', async () => {
    const thread = mainThread()!.thread;
    await vscode.commands.executeCommand('diffwise.resolvePrThread', thread);
    assert.deepEqual(github.posted.resolutions.at(-1), { threadId: github.thread(root.id).id, resolved: true });
    await waitFor('the thread resolved', () => mainThread()?.resolved);
    assert.equal(thread.state, vscode.CommentThreadState.Resolved);
    assert.equal(thread.contextValue, 'prThread.resolved');

    await vscode.commands.executeCommand('diffwise.unresolvePrThread', thread);
    assert.deepEqual(github.posted.resolutions.at(-1), { threadId: github.thread(root.id).id, resolved: false });
    await waitFor('the thread unresolved', () => mainThread()?.resolved === false);
    assert.equal(thread.state, vscode.CommentThreadState.Unresolved);
  });

  it('Apply Suggestion: refused on an outdated thread; otherwise replaces the commented line', async () => {
    const old = byBody('parseNumber')!;
    assert.equal(await vscode.commands.executeCommand('diffwise.applyPrSuggestion', old.thread.comments[0]), false);
    const document = await vscode.workspace.openTextDocument(uriOf(FILE));
    assert.ok(document.getText().startsWith(INSERTED), 'the outdated suggestion changed nothing');

    const thread = mainThread()!;
    assert.equal(await vscode.commands.executeCommand('diffwise.applyPrSuggestion', thread.thread.comments[0]), true);
    assert.equal(document.lineAt(4).text, SUGGESTED);
    assert.equal(document.lineAt(3).text, "  console.log('parse', input);", 'the line above is untouched');
    assert.equal(document.lineCount, headText.split('\n').length + 2);
    await document.save();
  });

  it('a branch switch (HEAD changed on disk) takes the threads away, and switching back brings them', async () => {
    const repo = fixture();
    const before = github.requests.length;
    git(repo, 'checkout', '--quiet', '-b', 'e2e-elsewhere');
    try {
      // No pull request synced (or on GitHub) for this branch: no threads, and no error shown.
      await waitFor('the threads gone after the switch', () => api.prThreads().length === 0, 15_000);
      await waitFor('a sync for the new branch', () => github.requests.slice(before).some((request) => request.query.head === 'acme:e2e-elsewhere'), 15_000);
    } finally {
      git(repo, 'checkout', '--quiet', 'feature');
      git(repo, 'branch', '--quiet', '-D', 'e2e-elsewhere');
    }
    await waitFor('the threads back', () => mainThread(), 15_000);
  });

  it('in an untrusted workspace the daemon gets no GitHub token; a session\'s token wins over the environment\'s', () => {
    const base = { PATH: '/usr/bin', GITHUB_TOKEN: 'ghp_from_the_shell', GH_TOKEN: 'gho_from_the_shell' };
    assert.deepEqual(daemonEnvironment(base, undefined, false, 'gho_session').env, { PATH: '/usr/bin', DIFFWISE_LLM: 'untrusted' });
    assert.equal(daemonEnvironment(base, undefined, true, 'gho_session').env.GITHUB_TOKEN, 'gho_session');
    assert.equal(daemonEnvironment(base, undefined, true).env.GITHUB_TOKEN, 'ghp_from_the_shell', 'without a session the shell\'s stays');
    const signedIn = daemonEnvironment(base, undefined, true, 'gho_session');
    assert.notEqual(signedIn.fingerprint, daemonEnvironment(base, undefined, true, 'gho_other').fingerprint, 'a new session restarts the daemon');
    assert.ok(!signedIn.fingerprint.includes('gho_session'));
  });

  it('threads: replies (to replies too) join their first comment\'s; a multi-line comment spans its lines; suggestion blocks', () => {
    const comment = (id: number, inReplyTo: number | null, extra: Partial<PrComment> = {}): PrComment => ({
      id, threadId: null, path: 'a.ts', line: 12, startLine: 10, side: 'RIGHT', localLine: 14, outdated: false, author: 'a', body: `c${id}`,
      createdAt: `2026-01-0${id}T00:00:00Z`, updatedAt: `2026-01-0${id}T00:00:00Z`, inReplyTo, resolved: false, url: '', commitId: '', ...extra,
    });
    const threads = groupThreads([comment(3, 2), comment(1, null), comment(2, 1), comment(4, null, { localLine: null, outdated: true })]);
    assert.deepEqual(threads.map((t) => [t.root.id, t.comments.map((c) => c.id), t.lines]), [[1, [1, 2, 3], { start: 12, end: 14 }], [4, [4], null]]);
    assert.deepEqual(suggestionOf('Try:\r\n```suggestion\r\n  a();\r\n  b();\r\n```\r\n'), ['  a();', '  b();']);
    assert.deepEqual(suggestionOf('```suggestion\n```'), [], 'an empty block deletes the lines');
    assert.deepEqual(suggestionOf('```suggestion\n\n```'), [''], 'a block with an empty line leaves one');
    assert.equal(suggestionOf('```ts\ncode\n```'), undefined);
  });
});

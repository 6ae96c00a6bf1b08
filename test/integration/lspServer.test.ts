import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { LastReviewRequest, REVIEW_COMMAND, ReviewRequest, type FindingDiagnosticData } from '../../shared/protocol';
import type { ReviewDocument } from '../../shared/review';
import { cleanupRepos, commitAll, featureBranchRepo, makeTempDir, write } from '../helpers/gitRepo';
import { TestLspClient } from '../helpers/lspClient';

function repoWithBranch(): string {
  return featureBranchRepo(
    { 'src/api.ts': 'export function parse(input: string): number {\n  return input.length;\n}\n', 'src/main.ts': "import { parse } from './api';\n\nexport const n = parse('a');\n" },
    { 'src/api.ts': 'export function parse(input: string, radix: number): number {\n  debugger;\n  return input.length * radix;\n}\n' },
  );
}

describe('diffwise serve --stdio (a plain LSP client, no VS Code)', function () {
  this.timeout(60_000);
  const clients: TestLspClient[] = [];
  const start = async (root: string) => {
    const client = await TestLspClient.start(root);
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.stop().catch(() => client.process.kill());
  });
  after(cleanupRepos);

  it('indexes on start with work-done progress and reports its status', async () => {
    const repo = repoWithBranch();
    const client = await start(repo);
    await client.waitFor(() => client.statuses.some((s) => s.state === 'idle'), 'the first index');
    assert.deepEqual(client.statuses.map((s) => s.state).slice(0, 2), ['indexing', 'idle']);
    assert.ok(client.progress.some((p) => p.value.kind === 'begin' && p.value.title === 'Diffwise: indexing'));
    assert.ok(client.progress.some((p) => p.value.kind === 'end'));
    assert.ok(client.logs.some((line) => /^indexed 2 files/.test(line)), client.logs.join('\n'));
  });

  it('reviews through workspace/executeCommand and publishes diagnostics with related places', async () => {
    const repo = repoWithBranch();
    const client = await start(repo);
    const document = (await client.connection.sendRequest('workspace/executeCommand', {
      command: REVIEW_COMMAND,
      arguments: [{ scope: 'branch', base: 'main' }],
    })) as ReviewDocument;
    assert.equal(document.run.scope, 'branch');
    assert.deepEqual(document.findings.map((f) => f.ruleId).sort(), ['breaking-change', 'debug-leftover']);

    await client.waitFor(() => client.diagnosticsFor(repo, 'src/api.ts').length === 2, 'diagnostics for src/api.ts');
    const [breaking, debug] = client.diagnosticsFor(repo, 'src/api.ts');
    assert.equal(breaking.source, 'diffwise');
    assert.equal(breaking.code, 'breaking-change');
    assert.equal(breaking.severity, DiagnosticSeverity.Error);
    assert.equal(breaking.range.start.line, 0);
    assert.deepEqual(breaking.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]), [
      [pathToFileURL(`${repo}/src/main.ts`).toString(), 2, 'no longer compiles: Expected 2 arguments, but got 1.'],
    ]);
    assert.equal((breaking.data as FindingDiagnosticData).findingId, document.findings.find((f) => f.ruleId === 'breaking-change')!.id);
    assert.equal(debug.code, 'debug-leftover');
    assert.equal(debug.severity, DiagnosticSeverity.Warning);
    assert.equal(debug.range.start.line, 1);

    // Fix both: the next review clears the file's diagnostics.
    write(repo, 'src/api.ts', 'export function parse(input: string, radix = 10): number {\n  return input.length * radix;\n}\n');
    commitAll(repo, 'fix');
    const clean = await client.connection.sendRequest(ReviewRequest.type, { scope: 'branch', base: 'main' });
    assert.deepEqual(clean.findings, []);
    await client.waitFor(() => client.diagnosticsFor(repo, 'src/api.ts').length === 0, 'cleared diagnostics');
    assert.equal(client.statuses.at(-1)?.state, 'idle');
    assert.deepEqual(client.statuses.at(-1)?.lastReview?.findings, { error: 0, warning: 0, info: 0 });
  });

  it('reports work-done progress for a review and honours cancellation', async () => {
    const repo = repoWithBranch();
    const client = await start(repo);
    const reviewed = await client.connection.sendRequest(ReviewRequest.type, { scope: 'working', workDoneToken: 'review-1' });
    assert.equal(reviewed.run.scope, 'working');
    assert.ok(client.progress.some((p) => p.token === 'review-1' && p.value.kind === 'begin'));

    const source = new CancellationTokenSource();
    const cancelled = client.connection.sendRequest(ReviewRequest.type, { scope: 'branch', base: 'main' }, source.token);
    source.cancel();
    await assert.rejects(cancelled, (error: { code: number }) => error.code === -32800);
    // The daemon is still usable afterwards.
    const after = await client.connection.sendRequest(ReviewRequest.type, { scope: 'branch', base: 'main' });
    assert.equal(after.findings.length, 2);
  });

  it('answers bad requests with clear errors and keeps running', async () => {
    const repo = repoWithBranch();
    const client = await start(repo);
    await assert.rejects(client.connection.sendRequest(ReviewRequest.type, { scope: 'branch', base: 'no-such-ref' }), /unknown base ref: no-such-ref/);
    await assert.rejects(client.connection.sendRequest(ReviewRequest.type, { scope: 'branch' }), /needs a base ref/);
    await assert.rejects(client.connection.sendRequest(ReviewRequest.type, { scope: 'everything' as 'working' }), /scope must be/);
    const ok = await client.connection.sendRequest(ReviewRequest.type, { scope: 'staged' });
    assert.equal(ok.run.status, 'ok');
  });

  it('outside a git repository: says so, and reviews fail with that message', async () => {
    const client = await start(makeTempDir());
    await client.waitFor(() => client.statuses.some((s) => s.state === 'error'), 'an error status');
    assert.match(client.statuses.find((s) => s.state === 'error')!.message, /not a git repository/);
    await client.waitFor(() => client.messages.some((m) => /not a git repository/.test(m)), 'a message to the user');
    await assert.rejects(client.connection.sendRequest(ReviewRequest.type, { scope: 'working' }), /not a git repository/);
  });

  it('re-indexes files reported by workspace/didChangeWatchedFiles', async () => {
    const repo = repoWithBranch();
    const client = await start(repo);
    await client.waitFor(() => client.statuses.some((s) => s.state === 'idle'), 'the first index');
    write(repo, 'src/other.ts', "import { parse } from './api';\nexport const m = parse('b');\n");
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(`${repo}/src/other.ts`).toString(), type: 1 }] });
    await client.waitFor(() => client.logs.some((line) => /^re-indexed 1 changed file/.test(line)), 'the re-index');
  });

  it('offers quick fixes (apply the suggestion, ignore the finding) and a hover; an ignored finding stays ignored after a restart', async () => {
    const repo = repoWithBranch();
    const db = `${makeTempDir()}/lsp.db`;
    const client = await TestLspClient.start(repo, { DIFFWISE_DB: db });
    clients.push(client);
    const apiUri = pathToFileURL(`${repo}/src/api.ts`).toString();
    await client.connection.sendRequest(ReviewRequest.type, { scope: 'branch', base: 'main' });
    await client.waitFor(() => client.diagnosticsFor(repo, 'src/api.ts').length === 2, 'diagnostics');
    const debug = client.diagnosticsFor(repo, 'src/api.ts').find((d) => d.code === 'debug-leftover')!;

    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: apiUri }, range: debug.range, context: { diagnostics: [debug] },
    })) as Array<{ title: string; edit?: { changes: Record<string, Array<{ range: { start: { line: number }; end: { line: number } }; newText: string }>> }; command?: { command: string; arguments: unknown[] } }>;
    assert.deepEqual(actions.map((a) => a.title), ['Remove the line (debug-leftover)', 'Helpful (debug-leftover)', 'Not helpful… (debug-leftover)', 'Ignore this finding (debug-leftover)']);
    const [edit] = actions[0].edit!.changes[apiUri];
    assert.deepEqual([edit.range.start.line, edit.range.end.line, edit.newText], [1, 2, '']);

    // On the finding's code (the changed parameter): where the editor shows its diagnostic.
    const breaking = client.diagnosticsFor(repo, 'src/api.ts').find((d) => d.code === 'breaking-change')!;
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: apiUri }, position: breaking.range.start })) as { contents: { value: string } };
    assert.match(hover.contents.value, /\*\*Diffwise · breaking-change\*\*/);
    assert.match(hover.contents.value, /\[src\/main\.ts:3\]\(file:.*src\/main\.ts#L3\) no longer compiles: Expected 2 arguments/);

    await client.connection.sendRequest('workspace/executeCommand', actions.find((a) => a.title.startsWith('Ignore'))!.command);
    await client.waitFor(() => client.diagnosticsFor(repo, 'src/api.ts').length === 1, 'the ignored finding to disappear');
    await client.stop();
    clients.pop();

    const again = await TestLspClient.start(repo, { DIFFWISE_DB: db });
    clients.push(again);
    const document = await again.connection.sendRequest(ReviewRequest.type, { scope: 'branch', base: 'main' });
    assert.deepEqual(document.findings.map((f) => f.ruleId), ['breaking-change']);
  });

  it('puts a branch review on the work tree\'s lines, and moves findings as the user types', async () => {
    const repo = repoWithBranch();
    // Uncommitted: two lines above the committed `debugger` (line 2 in HEAD).
    write(repo, 'src/api.ts', '// one\n// two\nexport function parse(input: string, radix: number): number {\n  debugger;\n  return input.length * radix;\n}\n');
    const client = await start(repo);
    const document = await client.connection.sendRequest(ReviewRequest.type, { scope: 'branch', base: 'main' });
    assert.equal(document.findings.find((f) => f.ruleId === 'debug-leftover')?.line, 2, 'the document keeps HEAD\'s lines');
    const debugLine = () => client.diagnosticsFor(repo, 'src/api.ts').find((d) => d.code === 'debug-leftover')?.range.start.line;
    await client.waitFor(() => debugLine() === 3, 'the diagnostic on the work tree line');

    const uri = pathToFileURL(`${repo}/src/api.ts`).toString();
    // The editor opens the file with its text: the daemon follows the findings on it.
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: fs.readFileSync(`${repo}/src/api.ts`, 'utf8') } });
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'import x from "y";\n\n' }],
    });
    await client.waitFor(() => debugLine() === 5, 'the diagnostic to follow the edit');
    const last = await client.connection.sendRequest(LastReviewRequest.type, {});
    assert.equal(last?.findings.find((f) => f.ruleId === 'debug-leftover')?.line, 6, 'the panel\'s findings follow the edit too');
  });

  it('pulls diffwise.review.severities per file and publishes only those severities', async () => {
    const repo = repoWithBranch();
    const client = await start(repo);
    const asked: string[] = [];
    client.configuration = (item) => {
      asked.push(`${item.section} ${item.scopeUri?.replace(/^.*\/src\//, 'src/')}`);
      return ['error'];
    };
    const document = await client.connection.sendRequest(ReviewRequest.type, { scope: 'branch', base: 'main' });
    assert.equal(document.findings.length, 2, 'the review itself still finds everything');
    await client.waitFor(() => client.diagnosticsFor(repo, 'src/api.ts').length === 1, 'only the error');
    assert.equal(client.diagnosticsFor(repo, 'src/api.ts')[0].code, 'breaking-change');
    assert.deepEqual(asked.filter((item) => item.startsWith('diffwise.review')), ['diffwise.review.severities src/api.ts']);
  });

  it('pulls diffwise.cache.* at each review: a tiny size limit evicts what the review cached', async () => {
    const repo = repoWithBranch();
    const client = await start(repo);
    const review = () => client.connection.sendRequest(ReviewRequest.type, { scope: 'branch', base: 'main' });
    await review();
    const cached = await review();
    assert.equal(cached.run.cacheHits, cached.run.hunks, 'the defaults keep the cache');
    client.configuration = (item) => (item.section === 'diffwise.cache' ? { maxSizeMb: 0.000001, maxAgeDays: 30 } : null);
    await review();
    const evicted = await review();
    assert.equal(evicted.run.cacheHits, 0);
  });
});

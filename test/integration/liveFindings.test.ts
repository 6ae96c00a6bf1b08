/**
 * Findings on their code while the user edits, against the real daemon over
 * stdio: a review of a real repository, then the didOpen/didChange messages an
 * editor sends, and the diagnostics, status and last review the daemon answers.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LastReviewRequest, ReviewRequest, UNIGNORE_FINDING_COMMAND } from '../../shared/protocol';
import { cleanupRepos, commitAll, makeRepo, write } from '../helpers/gitRepo';
import { TestLspClient } from '../helpers/lspClient';

const TEXT = 'export const a = 1;\nconsole.log(a);\nexport const b = 2;\n';
const range = (line: number, character: number, endLine: number, endCharacter: number) => ({ start: { line, character }, end: { line: endLine, character: endCharacter } });

interface Action {
  title: string;
  edit?: { changes: Record<string, Array<{ range: ReturnType<typeof range>; newText: string }>> };
  command?: { command: string; arguments: unknown[] };
}

describe('findings follow their code over LSP (the daemon over stdio)', function () {
  this.timeout(60_000);
  let client: TestLspClient | undefined;
  afterEach(async () => {
    await client?.stop().catch(() => client?.process.kill());
    client = undefined;
  });
  after(cleanupRepos);

  it('moves with lines inserted above, goes with its line or its quick fix, and comes back with undo, revert and reopen', async () => {
    const repo = makeRepo();
    write(repo, 'src/app.ts', 'export const a = 1;\nexport const b = 2;\n');
    commitAll(repo, 'initial');
    write(repo, 'src/app.ts', TEXT);
    client = await TestLspClient.start(repo);
    const uri = pathToFileURL(`${repo}/src/app.ts`).toString();
    const document = await client.connection.sendRequest(ReviewRequest.type, { scope: 'working' });
    assert.deepEqual(document.findings.map((f) => [f.ruleId, f.line, f.column, f.endColumn]), [['debug-leftover', 2, 1, 15]]);
    const shown = () => client!.diagnosticsFor(repo, 'src/app.ts').map((d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]);
    const warnings = () => client!.statuses.at(-1)?.lastReview?.findings.warning;
    await client.waitFor(() => shown().length === 1, 'the diagnostic');
    assert.deepEqual(shown(), [[1, 0, 1, 14]], 'the call, not the whole line');
    const [diagnostic] = client.diagnosticsFor(repo, 'src/app.ts');
    const page = path.resolve(__dirname, '../../docs/rules/debug-leftover.md');
    if (fs.existsSync(page)) assert.equal(diagnostic.codeDescription?.href, pathToFileURL(page).toString());

    let version = 1;
    const change = (changes: Array<{ range?: ReturnType<typeof range>; text: string }>) =>
      client!.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: changes });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version, text: TEXT } });

    // A line inserted directly above, as VS Code sends it, then as Neovim's `O` (ending at column 0 of the finding's line).
    await change([{ range: range(1, 0, 1, 0), text: '// one\n' }]);
    await client.waitFor(() => shown()[0]?.[0] === 2, 'the diagnostic one line down');
    await change([{ range: range(1, 6, 2, 0), text: '\n// two\n' }]);
    await client.waitFor(() => shown()[0]?.[0] === 3, 'the diagnostic another line down');
    assert.deepEqual(shown(), [[3, 0, 3, 14]]);
    const moved = await client.connection.sendRequest(LastReviewRequest.type, {});
    assert.deepEqual(moved?.findings.map((f) => [f.line, f.column, f.endLine, f.endColumn]), [[4, 1, 4, 15]], 'the panel\'s finding follows too');

    // Its own line deleted: gone at once (not moved onto the next line), and the status bar counts it out.
    await change([{ range: range(3, 0, 4, 0), text: '' }]);
    await client.waitFor(() => shown().length === 0, 'the diagnostic gone with its line');
    await client.waitFor(() => warnings() === 0, 'the status count to drop');
    assert.deepEqual((await client.connection.sendRequest(LastReviewRequest.type, {}))?.findings, []);

    // Undo: the same text as before, the finding exactly where it was.
    await change([{ range: range(3, 0, 3, 0), text: 'console.log(a);\n' }]);
    await client.waitFor(() => shown().length === 1, 'the diagnostic back after the undo');
    assert.deepEqual(shown(), [[3, 0, 3, 14]]);
    await client.waitFor(() => warnings() === 1, 'the status count back');

    // Diffwise's own quick fix, applied as the editor applies it.
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: client.diagnosticsFor(repo, 'src/app.ts')[0].range, context: { diagnostics: client.diagnosticsFor(repo, 'src/app.ts') },
    })) as Action[];
    assert.deepEqual(actions.map((a) => a.title), ['Remove the line (debug-leftover)', 'Helpful (debug-leftover)', 'Not helpful… (debug-leftover)', 'Ignore this finding (debug-leftover)']);
    const [fix] = actions[0].edit!.changes[uri];
    await change([{ range: fix.range, text: fix.newText }]);
    await client.waitFor(() => shown().length === 0, 'the diagnostic gone with the quick fix');

    // Revert File: the whole text as on disk, without a range.
    await change([{ text: TEXT }]);
    await client.waitFor(() => shown().length === 1, 'the diagnostic back after the revert');
    assert.deepEqual(shown(), [[1, 0, 1, 14]]);

    // Edits not saved, closed, reopened with the disk's text (`:edit!`): back again.
    await change([{ range: range(0, 0, 3, 0), text: '' }]);
    await client.waitFor(() => shown().length === 0, 'everything deleted');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: ++version, text: TEXT } });
    await client.waitFor(() => shown().length === 1, 'the diagnostic back after the reopen');
    assert.deepEqual(shown(), [[1, 0, 1, 14]]);
  });

  it('ignores and unignores over LSP: the finding stays in the last review, marked, and the status counts follow', async () => {
    const repo = makeRepo();
    write(repo, 'src/app.ts', 'export const a = 1;\n');
    commitAll(repo, 'initial');
    write(repo, 'src/app.ts', 'export const a = 1;\nconsole.log(a);\ndebugger;\n');
    client = await TestLspClient.start(repo);
    const document = await client.connection.sendRequest(ReviewRequest.type, { scope: 'working' });
    assert.equal(document.findings.length, 2);
    const count = () => client!.diagnosticsFor(repo, 'src/app.ts').length;
    await client.waitFor(() => count() === 2, 'two diagnostics');
    assert.equal(client.statuses.at(-1)?.lastReview?.findings.warning, 2);
    const [first] = document.findings;

    await client.connection.sendRequest('workspace/executeCommand', { command: 'diffwise.ignoreFinding', arguments: [first.id] });
    await client.waitFor(() => count() === 1, 'the ignored finding off the diagnostics');
    await client.waitFor(() => client!.statuses.at(-1)?.lastReview?.findings.warning === 1, 'the status count to drop');
    const ignored = (await client.connection.sendRequest(LastReviewRequest.type, {}))?.findings.find((f) => f.id === first.id);
    assert.deepEqual([ignored?.ignored, ignored?.suppressed], [true, true], 'listed, as ignored, for the panel');

    assert.equal(await client.connection.sendRequest('workspace/executeCommand', { command: UNIGNORE_FINDING_COMMAND, arguments: [first.id] }), true);
    await client.waitFor(() => count() === 2, 'the unignored finding back');
    await client.waitFor(() => client!.statuses.at(-1)?.lastReview?.findings.warning === 2, 'the status count back');
    const back = (await client.connection.sendRequest(LastReviewRequest.type, {}))?.findings.find((f) => f.id === first.id);
    assert.deepEqual([back?.ignored, back?.suppressed], [undefined, undefined]);
    const again = await client.connection.sendRequest(ReviewRequest.type, { scope: 'working' });
    assert.equal(again.findings.length, 2, 'a new review reports it again');
  });
});

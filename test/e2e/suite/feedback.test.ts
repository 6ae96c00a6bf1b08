/**
 * Votes from the editor, against the real daemon: the Helpful / Not helpful quick fixes and hover
 * links, the reason asked before a vote down (Escape cancels the vote), a finding voted
 * down leaving the diagnostics and staying gone after another review (listed as
 * suppressed for the feedback panel), Restore (a vote up) bringing it back, Undo Vote,
 * Ignore listing the finding as ignored and Unignore (the LSP command the feedback
 * panel's Unignore runs) bringing it back, Export/Import Learned Votes, and the
 * metrics panel opening once. The panel's own buttons are clicked by the UI check
 * (test/e2e/runE2e.ts): its DOM is not reachable from the extension host.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../../../shared/review';
import { diagnosticsOf, review, uriOf, waitFor, type DiffwiseApi } from './helpers';

const FILE = 'src/scratch.ts'; // `debugger;` on line 1 of the working tree
const debugDiagnostic = () => diagnosticsOf(FILE).find((d) => d.code === 'debug-leftover');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a command that opens an InputBox, and answers the box with `answer` (a
 * workbench command) until the command returns: the box appears some time after
 * the command starts, and an answer sent before it is a no-op.
 */
async function runAnswering<T>(answer: string, command: string, ...args: unknown[]): Promise<T> {
  let settled = false;
  const running = Promise.resolve(vscode.commands.executeCommand<T>(command, ...args)).finally(() => (settled = true));
  const deadline = Date.now() + 20_000;
  while (!settled && Date.now() < deadline) {
    await sleep(300);
    if (!settled) await vscode.commands.executeCommand(answer);
  }
  return running;
}

describe('Votes on findings in VS Code', function () {
  this.timeout(120_000);
  let api: DiffwiseApi;
  let finding: Finding;
  let actions: vscode.CodeAction[];

  const lastFinding = async () => (await api.lastReview())?.findings.find((candidate) => candidate.id === finding.id);
  const voteAction = (vote: 'up' | 'down') => {
    const action = actions.find((candidate) => candidate.command?.command === 'diffwise.voteFinding' && candidate.command.arguments?.[1] === vote);
    assert.ok(action?.command, `a ${vote} vote quick fix among ${actions.map((a) => a.title).join(', ')}`);
    return action.command;
  };

  before(async () => {
    api = (await vscode.extensions.getExtension('diffwise.diffwise')!.activate()) as DiffwiseApi;
    const document = await review('diffwise.reviewWorkingTree');
    finding = document.findings.find((candidate) => candidate.file === FILE && candidate.ruleId === 'debug-leftover')!;
    assert.ok(finding, JSON.stringify(document.findings));
  });

  it('declares the feedback and metrics commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['diffwise.showFeedback', 'diffwise.showMetrics', 'diffwise.undoVote', 'diffwise.exportLearned', 'diffwise.importLearned', 'diffwise.voteFinding']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('offers Helpful and Not helpful quick fixes, and vote links in the hover', async () => {
    const uri = uriOf(FILE);
    await vscode.workspace.openTextDocument(uri); // the provider commands work on open documents
    const diagnostic = await waitFor('the debug-leftover diagnostic', debugDiagnostic);
    actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    assert.deepEqual(voteAction('up').arguments, [finding.id, 'up']);
    assert.deepEqual(voteAction('down').arguments, [finding.id, 'down']);
    const titles = actions.map((action) => action.title);
    // In words: an emoji without an emoji font is a box.
    assert.ok(titles.includes('Helpful (debug-leftover)') && titles.includes('Not helpful… (debug-leftover)'), titles.join(', '));
    assert.ok(!titles.some((title) => /\p{Extended_Pictographic}/u.test(title)), titles.join(', '));

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 2));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.ok(text.includes('command:diffwise.voteFinding?'), text);
    // The link only runs if the markdown trusts that command (extension/daemon.ts): a list of Diffwise's own, never every command.
    const trusted = hovers.flatMap((hover) => hover.contents).find((content): content is vscode.MarkdownString => typeof content !== 'string' && content.value.includes('command:diffwise.voteFinding?'));
    const enabled = typeof trusted?.isTrusted === 'object' ? trusted.isTrusted.enabledCommands : [];
    assert.ok(enabled.includes('diffwise.voteFinding') && enabled.every((command) => command.startsWith('diffwise.')), JSON.stringify(trusted?.isTrusted));
  });

  it('Not helpful: Escape in the reason box cancels the vote', async () => {
    const down = voteAction('down');
    const result = await runAnswering<unknown>('workbench.action.closeQuickOpen', down.command, ...down.arguments!);
    assert.equal(result, undefined);
    assert.equal((await lastFinding())?.vote, undefined, 'no vote recorded');
    assert.ok(debugDiagnostic(), 'the diagnostic stays');
  });

  it('Not helpful with the reason skipped: the diagnostic goes, stays gone after another review, and is listed as suppressed', async () => {
    const down = voteAction('down');
    await runAnswering('workbench.action.acceptSelectedQuickOpenItem', down.command, ...down.arguments!);
    await waitFor('the diagnostic to go', () => !debugDiagnostic());
    assert.equal((await lastFinding())?.vote, 'down');

    const again = await review('diffwise.reviewWorkingTree');
    assert.ok(!again.findings.some((candidate) => candidate.id === finding.id), 'not reported by the review');
    await sleep(500); // diagnostics arrive just after the review's answer
    assert.equal(debugDiagnostic(), undefined, 'no diagnostic after the review');
    const listed = await lastFinding();
    assert.equal(listed?.suppressed, true, JSON.stringify(listed));
    assert.equal(listed.vote, 'down');
    assert.ok(listed.learnedReason, 'says why');
  });

  it('Restore (a vote up, as the panel sends it) brings the finding back', async () => {
    await vscode.commands.executeCommand('diffwise.voteFinding', finding.id, 'up');
    await review('diffwise.reviewWorkingTree');
    await waitFor('the diagnostic back', debugDiagnostic);
    const listed = await lastFinding();
    assert.equal(listed?.suppressed, undefined, JSON.stringify(listed));
    assert.equal(listed?.vote, 'up');
  });

  it('Undo Vote withdraws the last vote of the window', async () => {
    assert.equal(await vscode.commands.executeCommand('diffwise.undoVote'), true);
    await waitFor('the vote withdrawn', async () => (await lastFinding())?.vote === undefined);
    assert.equal(await vscode.commands.executeCommand('diffwise.undoVote'), false, 'nothing left to undo');
  });

  it('Ignore: the finding leaves the diagnostics, is listed as ignored (also after another review), and Unignore brings it back', async () => {
    await review('diffwise.reviewWorkingTree');
    await waitFor('the diagnostic', debugDiagnostic);
    await vscode.commands.executeCommand('diffwise.ignoreFinding', finding.id);
    await waitFor('the diagnostic to go', () => !debugDiagnostic());
    assert.equal((await lastFinding())?.ignored, true, 'listed as ignored for the panel');

    await review('diffwise.reviewWorkingTree');
    await sleep(500); // diagnostics arrive just after the review's answer
    assert.equal(debugDiagnostic(), undefined, 'no diagnostic after another review');
    assert.equal((await lastFinding())?.ignored, true, 'still listed as ignored after another review');

    // What the panel's Unignore sends: the daemon's workspace/executeCommand, arguments [findingId].
    await vscode.commands.executeCommand('diffwise.unignoreFinding', finding.id);
    await waitFor('the diagnostic back', debugDiagnostic);
    const listed = await lastFinding();
    assert.equal(listed?.ignored, undefined, JSON.stringify(listed));
    assert.equal(listed?.suppressed, undefined, JSON.stringify(listed));
  });

  it('Export Learned Votes writes the team file, and Import Learned Votes reads it back', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-learned-')), 'learned.json');
    try {
      const exported = await vscode.commands.executeCommand<{ file: string; votes: number }>('diffwise.exportLearned', file);
      assert.equal(exported?.file, file);
      const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { diffwise: string; votes: unknown[] };
      assert.equal(written.diffwise, 'learned');
      assert.equal(written.votes.length, exported.votes);
      const imported = await vscode.commands.executeCommand<{ file: string; votes: number }>('diffwise.importLearned', file);
      assert.equal(imported?.file, file);
      assert.equal(typeof imported.votes, 'number');
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('Show Metrics opens one panel, revealed again when run twice', async () => {
    const metricsTabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('diffwise.metrics'));
    await vscode.commands.executeCommand('diffwise.showMetrics');
    await waitFor('the metrics tab', () => metricsTabs().length === 1);
    await vscode.commands.executeCommand('diffwise.showMetrics');
    await sleep(300);
    assert.equal(metricsTabs().length, 1);
    assert.equal(metricsTabs()[0].label, 'Diffwise Metrics');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

/**
 * Diffwise's one status bar item against the real daemon: labelled as Diffwise's, with the
 * counts the daemon sends in diffwise/status, the same as Diffwise's problems in the Problems
 * panel after a review, after a vote down, after Ignore and after Unignore (the palette command
 * and its quick pick). VS Code cannot read the status bar back, so the item's state comes from
 * the extension's API (`statusBar()`).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Finding, Severity } from '../../../shared/review';
import { acceptingFirstItem, review, waitFor, type DiffwiseApi } from './helpers';

const COUNTS = /^\$\(checklist\) Diffwise \$\(error\) (\d+) \$\(warning\) (\d+) \$\(info\) (\d+)$/;
const SEVERITY_OF: Record<number, Severity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'info',
};

/** The counts in the item's text, or undefined while it shows no counts. */
function itemCounts(api: DiffwiseApi): Record<Severity, number> | undefined {
  const match = COUNTS.exec(api.statusBar().text);
  return match ? { error: Number(match[1]), warning: Number(match[2]), info: Number(match[3]) } : undefined;
}

/** Diffwise's problems in the Problems panel (every file), by severity. */
function problemCounts(): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const diagnostic of diagnostics) if (diagnostic.source === 'diffwise') counts[SEVERITY_OF[diagnostic.severity]] += 1;
  }
  return counts;
}

/** Waits until the item shows `expected` and the Problems panel agrees with it. */
async function agreeOn(api: DiffwiseApi, what: string, expected: (counts: Record<Severity, number>) => boolean): Promise<Record<Severity, number>> {
  return waitFor(`the status bar and the Problems panel to agree ${what} (item: ${api.statusBar().text}, problems: ${JSON.stringify(problemCounts())})`, () => {
    const shown = itemCounts(api);
    return shown && expected(shown) && JSON.stringify(shown) === JSON.stringify(problemCounts()) ? shown : undefined;
  });
}

describe('The status bar item', function () {
  this.timeout(120_000);
  let api: DiffwiseApi;
  let initial: Record<Severity, number>;
  let target: Finding;

  before(async () => {
    api = (await vscode.extensions.getExtension('diffwise.diffwise')!.activate()) as DiffwiseApi;
  });

  it('after a review: one Diffwise item with the counts the Problems panel shows', async () => {
    const document = await review('diffwise.reviewWorkingTree');
    initial = await agreeOn(api, 'after a review', () => true);
    const reported = document.findings.filter((finding) => !finding.suppressed);
    assert.equal(initial.error + initial.warning + initial.info, reported.length, api.statusBar().text);
    assert.ok(reported.length > 0, 'the working tree has findings');
    target = reported.find((finding) => finding.ruleId === 'debug-leftover') ?? reported[0];
    const state = api.statusBar();
    assert.match(state.tooltip, /^Diffwise: /);
    assert.match(state.tooltip, /Last review \(working tree\): \d+ errors?, \d+ warnings?, \d+ info, in [\d.]+ s/);
    assert.match(state.accessibleLabel, /^Diffwise: \d+ errors?, \d+ warnings?, \d+ info$/);
    assert.doesNotMatch(state.text + state.tooltip, /\p{Extended_Pictographic}|\(s\)/u);
  });

  it('after a vote down: one fewer, and back after the vote is withdrawn', async () => {
    await vscode.commands.executeCommand('diffwise.voteFinding', target.id, 'down', 'e2e: status bar counts');
    await agreeOn(api, 'after a vote down', (shown) => shown[target.severity] === initial[target.severity] - 1);
    await vscode.commands.executeCommand('diffwise.voteFinding', target.id, 'clear');
    await agreeOn(api, 'after the vote is withdrawn', (shown) => JSON.stringify(shown) === JSON.stringify(initial));
  });

  it('after Ignore: one fewer; Unignore a Finding… lists it and brings it back', async () => {
    await vscode.commands.executeCommand('diffwise.ignoreFinding', target.id);
    await agreeOn(api, 'after Ignore', (shown) => shown[target.severity] === initial[target.severity] - 1);
    const ignored = (await api.lastReview())?.findings.filter((finding) => finding.ignored).map((finding) => finding.id);
    assert.deepEqual(ignored, [target.id]);
    // The palette command's quick pick, its only item accepted.
    assert.equal(await acceptingFirstItem<string | undefined>('diffwise.unignore'), target.id);
    await agreeOn(api, 'after Unignore', (shown) => JSON.stringify(shown) === JSON.stringify(initial));
    assert.ok(!(await api.lastReview())?.findings.some((finding) => finding.ignored));
  });

  it('Unignore a Finding… with nothing ignored says so and runs nothing', async () => {
    assert.equal(await vscode.commands.executeCommand('diffwise.unignore'), undefined);
  });
});

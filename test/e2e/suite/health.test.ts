/**
 * Diffwise: Run Health Check in the real VS Code against the real daemon: the report it
 * shows (the daemon's `diffwise/health` with this window's trust), and the status bar item's
 * degraded state, which follows whether the report has errors (set by the quiet check after
 * the daemon started, then by this one).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HealthReport } from '../../../shared/observability';
import { waitFor, type DiffwiseApi } from './helpers';

describe('Run Health Check', function () {
  this.timeout(120_000);
  let api: DiffwiseApi;

  before(async () => {
    api = (await vscode.extensions.getExtension('diffwise.diffwise')!.activate()) as DiffwiseApi;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('is in the palette, runs the daemon\'s checks with the workspace trust, and the status bar follows the result', async () => {
    const commands = (vscode.extensions.getExtension('diffwise.diffwise')!.packageJSON.contributes.commands as Array<{ command: string; title: string }>);
    assert.equal(commands.find((command) => command.command === 'diffwise.runHealthCheck')?.title, 'Run Health Check');
    const report = await waitFor('a health report from the daemon', () => vscode.commands.executeCommand<HealthReport | null>('diffwise.runHealthCheck').then((value) => value ?? undefined));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const ids = report.checks.map((check) => check.id);
    for (const id of ['node', 'git', 'database', 'disk', 'index', 'llm', 'github', 'trust']) assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    const trust = report.checks.find((check) => check.id === 'trust')!;
    assert.equal(trust.status, vscode.workspace.isTrusted ? 'ok' : 'warning');
    for (const check of report.checks) if (check.status !== 'ok') assert.ok(check.fix, `${check.id} has a fix`);

    const errors = report.checks.filter((check) => check.status === 'error');
    const state = api.statusBar();
    assert.equal(state.degraded, errors.length > 0, `degraded iff errors (${errors.map((check) => check.id).join(', ') || 'none'})`);
    for (const check of errors) assert.ok(state.tooltip.includes(check.title), `the tooltip names ${check.title}: ${state.tooltip}`);
    if (!errors.length) assert.doesNotMatch(state.tooltip, /Health check failing/);
  });
});

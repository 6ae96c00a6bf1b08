/**
 * Diffwise: Run Health Check — the daemon's `diffwise/health` (the checks of
 * `diffwise doctor`, with this window's settings and workspace trust), shown as a
 * QuickPick of the checks with their status icons and fixes; picking a failing check
 * whose fix is a command runs it (Set LLM API Key, Sign in to GitHub, Reindex). The
 * status bar item turns degraded while the last report has errors.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { HealthCheck, HealthReport, HealthStatus } from '../shared/observability';
import { HealthRequest } from '../shared/protocol';

export interface HealthCheckDeps {
  client: () => LanguageClient | undefined;
  log: vscode.LogOutputChannel;
  /** The status bar item's degraded state follows each report. */
  onReport: (report: HealthReport) => void;
}

const ICONS: Record<HealthStatus, string> = { ok: '$(pass)', warning: '$(warning)', error: '$(error)' };

/** The command that carries out a check's fix, where the fix is one the editor can do. */
function fixCommand(check: HealthCheck): { command: string; label: string } | undefined {
  if (check.status === 'ok') return undefined;
  if (check.id === 'llm' && /key refused/.test(check.detail)) return { command: 'diffwise.setLlmApiKey', label: 'Set LLM API Key' };
  if (check.id === 'github' && /no token|token refused/.test(check.detail)) return { command: 'diffwise.signInToGitHub', label: 'Sign in to GitHub' };
  if (check.id === 'index') return { command: 'diffwise.reindex', label: 'Reindex' };
  if (check.id === 'trust') return { command: 'workbench.trust.manage', label: 'Manage Workspace Trust' };
  return undefined;
}

/** Asks the daemon for a report; null (and said in the log) when the daemon is not running or fails. */
export async function requestHealth(deps: HealthCheckDeps): Promise<HealthReport | null> {
  const client = deps.client();
  if (!client) return null;
  try {
    const report = await client.sendRequest(HealthRequest.type, { trusted: vscode.workspace.isTrusted });
    const failing = report.checks.filter((check) => check.status !== 'ok');
    deps.log.info(`health check: ${report.status}${failing.length ? ` (${failing.map((check) => `${check.id}: ${check.detail}`).join('; ')})` : ''}`);
    deps.onReport(report);
    return report;
  } catch (error) {
    deps.log.warn(`health check failed: ${(error as Error).message}`);
    return null;
  }
}

/**
 * The command: a progress notification while the checks run, then the QuickPick. Resolves
 * to the report once the picker is shown (not when it closes), so that a caller (the e2e
 * suite) can read it without answering the picker.
 */
export async function runHealthCheckCommand(deps: HealthCheckDeps): Promise<HealthReport | null> {
  if (!deps.client()) {
    void vscode.window.showWarningMessage('Diffwise: the daemon is not running, so the health check cannot run (Diffwise: Restart Daemon).');
    return null;
  }
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Diffwise: running the health check…' },
    () => requestHealth(deps),
  );
  if (!report) {
    void vscode.window.showErrorMessage('Diffwise: the health check failed; the Diffwise log says why.');
    return null;
  }
  showReport(report);
  return report;
}

type CheckItem = vscode.QuickPickItem & { fix?: { command: string; label: string } };

function showReport(report: HealthReport): void {
  const picker = vscode.window.createQuickPick<CheckItem>();
  const failing = report.checks.filter((check) => check.status !== 'ok').length;
  picker.title = `Diffwise Health: ${failing ? `${failing} ${failing === 1 ? 'check needs' : 'checks need'} attention` : 'all checks ok'}`;
  picker.placeholder = 'Pick a check with a fix to carry it out';
  picker.matchOnDetail = true;
  picker.items = report.checks.map((check): CheckItem => {
    const fix = fixCommand(check);
    return {
      label: `${ICONS[check.status]} ${check.title}`,
      description: check.detail,
      detail: check.status !== 'ok' && check.fix ? `Fix: ${check.fix}${fix ? ` (pick to ${fix.label})` : ''}` : undefined,
      fix,
    };
  });
  picker.onDidAccept(() => {
    const fix = picker.selectedItems[0]?.fix;
    picker.hide();
    if (fix) void vscode.commands.executeCommand(fix.command);
  });
  picker.onDidHide(() => picker.dispose());
  picker.show();
}

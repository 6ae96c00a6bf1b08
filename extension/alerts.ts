/**
 * The editor's side of the alerts: for each alert the daemon says just fired
 * (`diffwise/alerts`), one notification, a warning (an error for a used-up budget),
 * with one button that does the fix. An alert that still fires when a new session
 * starts is logged, not shown again: the user was told when it started.
 */
import * as vscode from 'vscode';
import type { Alert, AlertId, AlertReport } from '../shared/observability';

interface AlertFix {
  label: string;
  /** A command and its arguments; the health check falls back to Settings when no helper registered it. */
  command: string;
  args?: unknown[];
}

const HEALTH_CHECK: AlertFix = { label: 'Run Health Check', command: 'diffwise.runHealthCheck' };
const METRICS: AlertFix = { label: 'Open Metrics', command: 'diffwise.showMetrics' };
const BUDGET: AlertFix = { label: 'Open Budget Setting', command: 'workbench.action.openSettings', args: ['diffwise.llm.monthlyBudgetUsd'] };
const ALERT_SETTINGS: AlertFix = { label: 'Open Settings', command: 'workbench.action.openSettings', args: ['diffwise.alerts'] };

const FIXES: Record<AlertId, AlertFix> = {
  'review-failure-rate': HEALTH_CHECK,
  'review-duration-p95': METRICS,
  'llm-budget-80': BUDGET,
  'llm-budget-100': BUDGET,
  'database-size': ALERT_SETTINGS,
  'free-disk': ALERT_SETTINGS,
  'daemon-restarts': HEALTH_CHECK,
  'github-rate-limit': HEALTH_CHECK,
};

/** The fix offered for an alert (exported for the tests). */
export function fixFor(id: AlertId): AlertFix {
  return FIXES[id];
}

export function showAlerts(report: AlertReport, log: vscode.LogOutputChannel): void {
  for (const id of report.cleared) log.info(`alert cleared: ${id}`);
  const told = new Set(report.fired.map((alert) => alert.id));
  for (const alert of report.firing) if (!told.has(alert.id)) log.warn(`alert still fires (since ${alert.since}): ${alert.message}`);
  for (const alert of report.fired) void showOne(alert, log);
}

async function showOne(alert: Alert, log: vscode.LogOutputChannel): Promise<void> {
  log.warn(`alert: ${alert.message} — ${alert.action}`);
  const fix = fixFor(alert.id);
  const show = alert.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const choice = await show(`Diffwise: ${alert.message}. ${capitalised(alert.action)}.`, fix.label);
  if (choice !== fix.label) return;
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes(fix.command)) await vscode.commands.executeCommand(fix.command, ...(fix.args ?? []));
  else await vscode.commands.executeCommand('workbench.action.openSettings', 'diffwise');
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

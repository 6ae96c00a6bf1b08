/**
 * The CLI's side of the alerts: evaluated after each review (a line on stderr for each
 * alert that fired, never stdout, which may be JSON or SARIF; the exit code is the
 * review's) and by `diffwise alerts [--json]`, which lists what fires now. Both tell the
 * optional webhook of what fired and cleared.
 */
import * as path from 'node:path';
import type { AlertReport } from '../../shared/observability';
import { alertLine, notifyWebhook } from '../observability/alertNotifier';
import { loadAlertSettings } from '../observability/alertSettings';
import { isStorageFailure } from '../store/database';
import type { Workspace } from '../workspace';

/** Evaluates the rules after a review and tells what started; an alert that cannot be evaluated costs the review nothing. */
export async function alertAfterReview(workspace: Workspace, env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const report = await evaluateAndNotify(workspace, env);
    for (const alert of report.fired) process.stderr.write(alertLine(alert));
  } catch (error) {
    // A store that cannot be written (a full disk, a lock) has already failed the review, which
    // said so in its one line: a second line about the same disk would only repeat it.
    if (isStorageFailure(error)) return;
    process.stderr.write(`diffwise: the alerts were not evaluated: ${(error as Error).message}\n`);
  }
}

/** `diffwise alerts [--json]`: evaluates first, then lists what fires now. */
export async function runAlerts(workspace: Workspace, json: boolean, env: NodeJS.ProcessEnv): Promise<number> {
  const report = await evaluateAndNotify(workspace, env);
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : alertsText(report));
  return 0;
}

async function evaluateAndNotify(workspace: Workspace, env: NodeJS.ProcessEnv): Promise<AlertReport> {
  const settings = loadAlertSettings(workspace.repo.root, env);
  const report = workspace.evaluateAlerts(settings, { env });
  if (settings.webhookUrl) {
    await notifyWebhook(settings.webhookUrl, report, path.basename(workspace.repo.root), (message) => process.stderr.write(`diffwise: ${message}\n`));
  }
  return report;
}

export function alertsText(report: AlertReport): string {
  if (!report.firing.length) return `No alert fires.${report.cleared.length ? ` Cleared now: ${report.cleared.join(', ')}.` : ''}\n`;
  const lines = report.firing.map((alert) => `${alert.severity === 'error' ? 'error  ' : 'warning'}  ${alert.id}  since ${alert.since}\n    ${alert.message}\n    → ${alert.action}`);
  return `${lines.join('\n')}\n`;
}

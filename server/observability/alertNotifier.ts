/**
 * Evaluates the alert rules over a workspace's database and disk, remembers which fire
 * (so that each is told once per condition), and tells the optional webhook: a POST of a
 * Slack-compatible body for each alert that fired or cleared, never more than 5 s, its
 * failure logged rather than thrown (an unreachable chat must not fail a review).
 */
import * as fs from 'node:fs';
import { databaseFileBytes } from '../store/database';
import * as path from 'node:path';
import type { Alert, AlertId, AlertReport } from '../../shared/observability';
import type { AlertStore } from '../store/alertStore';
import { alertConditions, type AlertThresholds } from './alerts';
import { monthStartUtc } from '../llm/budget';

export const WEBHOOK_TIMEOUT_MS = 5_000;

export interface AlertSources {
  store: AlertStore;
  dbPath: string;
  /** What LLM calls cost since `isoTime`, in USD. */
  costSince: (isoTime: string) => number;
  /** The monthly budget that applies now; null when none is set or the config is unreadable. */
  monthlyBudgetUsd: () => number | null;
}

/** Evaluates every rule now and records the outcome: what fires, what just started, what cleared. */
export function evaluateAlerts(sources: AlertSources, thresholds: AlertThresholds, now = new Date()): AlertReport {
  const { store } = sources;
  const conditions = alertConditions({
    now,
    recentRuns: store.recentRuns(thresholds.window),
    monthlyBudgetUsd: sources.monthlyBudgetUsd(),
    spentThisMonthUsd: sources.costSince(monthStartUtc(now)),
    databaseBytes: databaseFileBytes(sources.dbPath),
    freeDiskBytes: freeDiskBytes(path.dirname(sources.dbPath)),
    recentDaemonStarts: store.startsSince('daemon', new Date(now.getTime() - thresholds.restartWindowMs).toISOString()),
    githubRateLimits: store.rateLimits(),
  }, thresholds);
  const { holding, cleared, fired } = store.apply((firing) => ({
    // An alert that already fires keeps the time it started; its figures are the new ones.
    holding: conditions.map((condition) => ({ ...condition, since: firing.get(condition.id)?.since ?? now.toISOString() })),
    cleared: [...firing.keys()].filter((id) => !conditions.some((condition) => condition.id === id)),
  }));
  return { firing: holding, fired, cleared };
}

function freeDiskBytes(folder: string): number | null {
  try {
    const stats = fs.statfsSync(folder);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/** One alert as the CLI says it on stderr. */
export function alertLine(alert: Alert): string {
  return `diffwise: alert: ${alert.message} — ${alert.action}\n`;
}

/** The Slack-compatible body (`text` for every client, `blocks` for those that draw them). */
export function webhookBody(event: { fired: Alert } | { cleared: AlertId }, repository: string): { text: string; blocks: unknown[] } {
  const text = 'fired' in event
    ? `${event.fired.severity === 'error' ? ':red_circle:' : ':warning:'} Diffwise alert (${repository}): ${event.fired.message}. ${event.fired.action}`
    : `:white_check_mark: Diffwise alert cleared (${repository}): ${event.cleared} no longer holds`;
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  if ('fired' in event) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${event.fired.id} · value ${event.fired.value} · threshold ${event.fired.threshold} · since ${event.fired.since}` }] });
  }
  return { text, blocks };
}

/**
 * POSTs each fired and cleared alert of `report` to `url`, one after the other. Failures go
 * to `log` with the URL's origin only: its path is the secret part of a Slack webhook.
 */
export async function notifyWebhook(url: string, report: AlertReport, repository: string, log: (message: string) => void): Promise<void> {
  const events = [...report.fired.map((fired) => ({ fired })), ...report.cleared.map((cleared) => ({ cleared }))];
  for (const event of events) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(webhookBody(event, repository)),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok) log(`the alert webhook at ${redactedUrl(url)} answered HTTP ${response.status}`);
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer in ${WEBHOOK_TIMEOUT_MS / 1000} s` : (error as Error).message;
      log(`the alert webhook at ${redactedUrl(url)} could not be reached: ${reason}`);
    }
  }
}

/** The URL's scheme and host only (`https://hooks.slack.com/…`): never its path, query or credentials. */
export function redactedUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(an invalid URL)';
  }
}

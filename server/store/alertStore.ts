/**
 * What the alert rules need remembered between processes: which alerts fire now
 * (`alert_state`: one row per alert, made when it starts, deleted when it clears),
 * when the daemon started (`process_starts`), the GitHub rate limit of the last
 * response (`meta`), and the newest reviews' outcomes.
 */
import type { Db } from './database';
import type { Alert, AlertId } from '../../shared/observability';
import type { RunStatus } from '../../shared/review';
import type { RateLimitState } from '../observability/alerts';

const RATE_LIMIT_KEY = 'github-rate-limit';
/** Starts older than this are of no use to any restart window. */
const STARTS_KEPT_MS = 86_400_000;

export class AlertStore {
  private readonly states;
  private readonly upsert;
  private readonly remove;
  private readonly insertStart;
  private readonly pruneStarts;
  private readonly countStarts;
  private readonly newestRuns;
  private readonly getMeta;
  private readonly setMeta;

  constructor(private readonly db: Db) {
    this.states = db.prepare('SELECT id, since, alert FROM alert_state');
    this.upsert = db.prepare('INSERT INTO alert_state (id, since, alert) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET alert = excluded.alert');
    this.remove = db.prepare('DELETE FROM alert_state WHERE id = ?');
    this.insertStart = db.prepare('INSERT INTO process_starts (process, started_at, pid) VALUES (?, ?, ?)');
    this.pruneStarts = db.prepare('DELETE FROM process_starts WHERE started_at < ?');
    this.countStarts = db.prepare('SELECT COUNT(*) AS count FROM process_starts WHERE process = ? AND started_at >= ?');
    this.newestRuns = db.prepare('SELECT status, duration_ms AS durationMs FROM review_runs ORDER BY started_at DESC LIMIT ?');
    this.getMeta = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  /** The alerts that fire now, as last evaluated, by id. */
  firing(): Map<AlertId, Alert> {
    const rows = this.states.all() as Array<{ id: AlertId; since: string; alert: string }>;
    return new Map(rows.map((row) => [row.id, { ...(JSON.parse(row.alert) as Alert), since: row.since }]));
  }

  /**
   * Applies one evaluation: rows for `holding` (a new row for a new alert, the figures
   * refreshed for one that already fires) and none for `cleared`, in one transaction, so
   * two processes evaluating at once cannot both see an alert as new.
   */
  apply(evaluate: (firing: Map<AlertId, Alert>) => { holding: Alert[]; cleared: AlertId[] }): { holding: Alert[]; cleared: AlertId[]; fired: Alert[] } {
    return this.db.transaction(() => {
      const before = this.firing();
      const outcome = evaluate(before);
      for (const alert of outcome.holding) this.upsert.run(alert.id, alert.since, JSON.stringify(alert));
      for (const id of outcome.cleared) this.remove.run(id);
      return { ...outcome, fired: outcome.holding.filter((alert) => !before.has(alert.id)) };
    }).immediate();
  }

  /** Records that `process` started now, and forgets starts older than a day. */
  recordStart(process: string, pid: number, now: Date): void {
    this.db.transaction(() => {
      this.pruneStarts.run(new Date(now.getTime() - STARTS_KEPT_MS).toISOString());
      this.insertStart.run(process, now.toISOString(), pid);
    })();
  }

  startsSince(process: string, isoTime: string): number {
    return (this.countStarts.get(process, isoTime) as { count: number }).count;
  }

  /** The newest `count` reviews' outcomes, newest first. */
  recentRuns(count: number): Array<{ status: RunStatus; durationMs: number }> {
    return this.newestRuns.all(count) as Array<{ status: RunStatus; durationMs: number }>;
  }

  /** The last answer's rate limit of each GitHub bucket (core, graphql, search), by bucket. */
  rateLimits(): Record<string, RateLimitState> {
    const row = this.getMeta.get(RATE_LIMIT_KEY) as { value: string } | undefined;
    if (!row) return {};
    try {
      return JSON.parse(row.value) as Record<string, RateLimitState>;
    } catch {
      return {};
    }
  }

  rememberRateLimit(resource: string, state: RateLimitState): void {
    this.setMeta.run(RATE_LIMIT_KEY, JSON.stringify({ ...this.rateLimits(), [resource]: state }));
  }
}

/**
 * The daemon's side of the alerts: the rules evaluated at its start (after recording
 * the start, for the restart-loop rule) and after each review, with `diffwise.alerts.*`
 * pulled for the repository; what fired or cleared goes to the editor as
 * `diffwise/alerts` and to the optional webhook.
 */
import * as path from 'node:path';
import type { AlertReport } from '../../shared/observability';
import { notifyWebhook } from '../observability/alertNotifier';
import { loadAlertSettings, type AlertOverrides } from '../observability/alertSettings';
import type { LlmRequest, Workspace } from '../workspace';
import type { SectionReader } from './coChangeSettings';

export interface DaemonAlertsOptions {
  readSection: SectionReader;
  llmSettings: (repoRoot: string) => Promise<LlmRequest['settings']>;
  send: (report: AlertReport) => void;
  log: (message: string) => void;
}

export function daemonAlerts(options: DaemonAlertsOptions) {
  const evaluate = async (ready: Workspace, atStart: boolean): Promise<void> => {
    try {
      const root = ready.repo.root;
      const settings = loadAlertSettings(root, process.env, await pullAlertOverrides(options.readSection, root));
      const report = ready.evaluateAlerts(settings, { settings: await options.llmSettings(root) });
      const changed = report.fired.length > 0 || report.cleared.length > 0;
      if (changed || (atStart && report.firing.length > 0)) options.send(report);
      if (changed && settings.webhookUrl) await notifyWebhook(settings.webhookUrl, report, path.basename(root), options.log);
    } catch (error) {
      // A bad alerts section or a full disk: said in the log, never a failed start or review.
      options.log(`the alerts were not evaluated: ${(error as Error).message}`);
    }
  };
  return {
    /** Records the daemon's start, then evaluates. */
    async atStart(ready: Workspace): Promise<void> {
      try {
        ready.recordProcessStart('daemon');
      } catch (error) {
        options.log(`could not record the daemon's start: ${(error as Error).message}`);
      }
      await evaluate(ready, true);
    },
    afterReview: (ready: Workspace) => evaluate(ready, false),
  };
}

/** `diffwise.alerts.*` as the editor says it: only well-typed values, so that the config file decides the rest. */
export async function pullAlertOverrides(readSection: SectionReader, repoRoot: string): Promise<AlertOverrides> {
  const settings = await readSection<keyof AlertOverrides>(repoRoot, 'diffwise.alerts');
  if (!settings) return {};
  const positive = (value: unknown) => (typeof value === 'number' && value > 0 ? value : undefined);
  const share = (value: unknown) => (typeof value === 'number' && value >= 0 && value <= 100 ? value : undefined);
  const webhookUrl = typeof settings.webhookUrl === 'string' && /^https?:\/\//.test(settings.webhookUrl.trim()) ? settings.webhookUrl.trim() : undefined;
  return {
    window: positive(settings.window),
    failureRatePercent: share(settings.failureRatePercent),
    p95TargetMs: positive(settings.p95TargetMs),
    databaseMaxMb: positive(settings.databaseMaxMb),
    freeDiskMinMb: positive(settings.freeDiskMinMb),
    githubRemainingPercent: share(settings.githubRemainingPercent),
    webhookUrl,
  };
}

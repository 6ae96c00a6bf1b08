/**
 * The alerts' thresholds and webhook: the defaults, then the team's `.diffwise/config.json`
 * (`"alerts": {…}`), then the editor's `diffwise.alerts.*`, each overriding the one
 * before; the webhook URL from DIFFWISE_ALERT_WEBHOOK_URL first.
 */
import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { definedOnly, readValidatedConfig } from '../configFile';
import { ALERT_DEFAULTS, type AlertThresholds } from './alerts';
import { LLM_SWITCH_ENV } from '../../shared/settings';

export interface AlertSettings extends AlertThresholds {
  /** Where fired and cleared alerts are POSTed (Slack-compatible); undefined: nowhere. */
  webhookUrl: string | undefined;
}

/** What `.diffwise/config.json` and the editor may set: whole units people think in. */
export interface AlertOverrides {
  window?: number;
  minReviews?: number;
  failureRatePercent?: number;
  p95TargetMs?: number;
  databaseMaxMb?: number;
  freeDiskMinMb?: number;
  restartCount?: number;
  restartWindowMinutes?: number;
  githubRemainingPercent?: number;
  webhookUrl?: string;
}

const MB = 1024 ** 2;

export const fileSchema = lazySchema(() => z.looseObject({
  alerts: z.strictObject({
    window: z.int().min(1).max(1000).optional().describe('How many of the newest reviews the failure rate and the p95 duration are taken over.'),
    minReviews: z.int().min(1).optional().describe('Fewer reviews than this in the window say nothing about a rate or a p95: no alert.'),
    failureRatePercent: z.number().min(0).max(100).optional().describe('Alert when more than this share (%) of the window\'s reviews failed.'),
    p95TargetMs: z.int().min(1).optional().describe('Alert when the 95th percentile of review durations is above this many milliseconds.'),
    databaseMaxMb: z.number().positive().optional().describe('Alert when the database (with its write-ahead log) is larger than this many MiB.'),
    freeDiskMinMb: z.number().nonnegative().optional().describe('Alert when the disk that holds the database has less than this many MiB free.'),
    restartCount: z.int().min(2).optional().describe('Alert when the daemon started this many times within restartWindowMinutes (a crash loop).'),
    restartWindowMinutes: z.number().positive().optional().describe('The window, in minutes, over which daemon restarts are counted.'),
    githubRemainingPercent: z.number().min(0).max(100).optional().describe('Alert when a GitHub rate-limit bucket has less than this share (%) of its requests left.'),
    webhookUrl: z.url({ protocol: /^https?$/ }).optional().describe('A Slack-compatible incoming webhook each alert is POSTed to when it fires and clears. DIFFWISE_ALERT_WEBHOOK_URL wins; ignored in an untrusted workspace.'),
  }).optional().describe('The thresholds of the alerts the daemon raises, and where they are sent.'),
}));

export function loadAlertSettings(repoRoot: string, env: NodeJS.ProcessEnv, editor: AlertOverrides = {}): AlertSettings {
  const fromFile: AlertOverrides = { ...readValidatedConfig(repoRoot, fileSchema)?.alerts };
  // In a workspace the user has not trusted, the repository's file may not choose where alerts are sent.
  if (env[LLM_SWITCH_ENV] === 'untrusted') delete fromFile.webhookUrl;
  const merged: AlertOverrides = { ...definedOnly(fromFile), ...definedOnly(editor) };
  const d = ALERT_DEFAULTS;
  return {
    window: merged.window ?? d.window,
    minReviews: merged.minReviews ?? d.minReviews,
    failureRate: merged.failureRatePercent !== undefined ? merged.failureRatePercent / 100 : d.failureRate,
    p95TargetMs: merged.p95TargetMs ?? d.p95TargetMs,
    databaseMaxBytes: merged.databaseMaxMb !== undefined ? merged.databaseMaxMb * MB : d.databaseMaxBytes,
    freeDiskMinBytes: merged.freeDiskMinMb !== undefined ? merged.freeDiskMinMb * MB : d.freeDiskMinBytes,
    restartCount: merged.restartCount ?? d.restartCount,
    restartWindowMs: merged.restartWindowMinutes !== undefined ? merged.restartWindowMinutes * 60_000 : d.restartWindowMs,
    githubRemainingShare: merged.githubRemainingPercent !== undefined ? merged.githubRemainingPercent / 100 : d.githubRemainingShare,
    webhookUrl: env.DIFFWISE_ALERT_WEBHOOK_URL?.trim() || merged.webhookUrl?.trim() || undefined,
  };
}

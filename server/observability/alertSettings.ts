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

const fileSchema = lazySchema(() => z.looseObject({
  alerts: z.strictObject({
    window: z.int().min(1).max(1000).optional(),
    minReviews: z.int().min(1).optional(),
    failureRatePercent: z.number().min(0).max(100).optional(),
    p95TargetMs: z.int().min(1).optional(),
    databaseMaxMb: z.number().positive().optional(),
    freeDiskMinMb: z.number().nonnegative().optional(),
    restartCount: z.int().min(2).optional(),
    restartWindowMinutes: z.number().positive().optional(),
    githubRemainingPercent: z.number().min(0).max(100).optional(),
    webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  }).optional(),
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

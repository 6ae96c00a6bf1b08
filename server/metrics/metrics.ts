/**
 * `diffwise metrics`: what the recorded runs add up to. The same document feeds
 * the CLI's --json and (later) the metrics webview. Its shape is documented in
 * the README; change both together.
 */
import type { RunRecord } from '../store/runStore';

export interface Metrics {
  reviews: { total: number; ok: number; partial: number; failed: number; successRate: number };
  /** hitRate = hits / hunks. */
  cache: { hunks: number; hits: number; hitRate: number };
  duration: { avgMs: number; p50Ms: number; p95Ms: number };
  llm: { calls: number; promptTokens: number; completionTokens: number; costUsd: number; savedUsd: number };
  findings: { byRule: Record<string, number> };
}

export function computeMetrics(runs: readonly RunRecord[]): Metrics {
  const count = (status: RunRecord['status']) => runs.filter((run) => run.status === status).length;
  const sum = (pick: (run: RunRecord) => number) => runs.reduce((total, run) => total + pick(run), 0);
  // Failed runs stop early; their durations would flatter the percentiles.
  const durations = runs.filter((run) => run.status !== 'failed').map((run) => run.durationMs).sort((a, b) => a - b);
  const byRule: Record<string, number> = {};
  for (const run of runs) for (const [rule, n] of Object.entries(run.findingsByRule)) byRule[rule] = (byRule[rule] ?? 0) + n;
  const hunks = sum((run) => run.hunks);
  const hits = sum((run) => run.cacheHits);
  return {
    reviews: { total: runs.length, ok: count('ok'), partial: count('partial'), failed: count('failed'), successRate: ratio(count('ok') + count('partial'), runs.length) },
    cache: { hunks, hits, hitRate: ratio(hits, hunks) },
    duration: {
      avgMs: durations.length ? Math.round(durations.reduce((a, b) => a + b, 0) / durations.length) : 0,
      p50Ms: percentile(durations, 0.5),
      p95Ms: percentile(durations, 0.95),
    },
    llm: {
      calls: sum((run) => run.llmCalls),
      promptTokens: sum((run) => run.promptTokens),
      completionTokens: sum((run) => run.completionTokens),
      costUsd: round(sum((run) => run.costUsd)),
      savedUsd: round(sum((run) => run.savedUsd)),
    },
    findings: { byRule },
  };
}

/** Nearest-rank percentile of sorted values; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** `30m`, `24h`, `7d`, `2w` → milliseconds; throws on anything else. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(m|h|d|w)$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text} (use for example 30m, 24h, 7d or 2w)`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[match[2] as 'm' | 'h' | 'd' | 'w'];
  return Number(match[1]) * unit;
}

function ratio(part: number, whole: number): number {
  return whole ? round(part / whole, 4) : 0;
}

function round(value: number, digits = 6): number {
  return Number(value.toFixed(digits));
}

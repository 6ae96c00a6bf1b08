/**
 * `diffwise metrics`: what the recorded runs add up to. The same document feeds
 * the CLI's --json and (later) the metrics webview. Its shape is documented in
 * docs/cli-guide.md (and docs/metrics-document.schema.json, generated); change both together.
 */
import type { FeedbackRecord, FeedbackSummary } from '../../shared/feedback';
import type { Metrics, RuleMetrics, TimelinePoint } from '../../shared/metrics';
import type { RunRecord } from '../store/runStore';
import type { ErrorGroup, ReviewTrace } from '../../shared/observability';

export type { Metrics };

/** Runs spanning up to this long are shown per hour, longer spans per day. */
const HOURLY_SPAN_MS = 48 * 3_600_000;

export interface MetricsInputs {
  runs: readonly RunRecord[];
  /** The current votes (the latest per finding) cast in the same period. */
  votes: readonly FeedbackRecord[];
  monthlyBudgetUsd: number | null;
  lastTrace?: ReviewTrace | null;
  errors?: ErrorGroup[];
}

export function computeMetrics({ runs, votes, monthlyBudgetUsd, lastTrace = null, errors = [] }: MetricsInputs): Metrics {
  const totals = runTotals(runs);
  const feedback = feedbackSummary(votes);
  return {
    ...totals,
    llm: { ...totals.llm, monthlyBudgetUsd },
    feedback,
    rules: ruleMetrics(totals.findings.byRule, feedback.byRule),
    timeline: timeline(runs),
    lastTrace,
    errors,
  };
}

/** What a set of runs adds up to, votes and budget aside. */
function runTotals(runs: readonly RunRecord[]): Omit<Metrics, 'feedback' | 'rules' | 'timeline' | 'llm' | 'lastTrace' | 'errors'> & { llm: Omit<Metrics['llm'], 'monthlyBudgetUsd'> } {
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

export function feedbackSummary(votes: readonly FeedbackRecord[]): FeedbackSummary {
  const byRule: FeedbackSummary['byRule'] = {};
  let up = 0;
  let down = 0;
  for (const vote of votes) {
    if (vote.vote === 'clear') continue;
    const rule = (byRule[vote.ruleId] ??= { up: 0, down: 0 });
    rule[vote.vote]++;
    if (vote.vote === 'up') up++;
    else down++;
  }
  return { up, down, acceptanceRate: ratio(up, up + down), byRule };
}

/** Noisiest first: most votes down, then the lowest acceptance, then the most findings. */
function ruleMetrics(findingsByRule: Record<string, number>, votesByRule: FeedbackSummary['byRule']): RuleMetrics[] {
  const rules = new Set([...Object.keys(findingsByRule), ...Object.keys(votesByRule)]);
  return [...rules]
    .map((ruleId) => {
      const { up, down } = votesByRule[ruleId] ?? { up: 0, down: 0 };
      return { ruleId, findings: findingsByRule[ruleId] ?? 0, up, down, acceptanceRate: up + down ? ratio(up, up + down) : null };
    })
    .sort((a, b) => b.down - a.down || (a.acceptanceRate ?? 2) - (b.acceptanceRate ?? 2) || b.findings - a.findings || a.ruleId.localeCompare(b.ruleId));
}

function timeline(runs: readonly RunRecord[]): Metrics['timeline'] {
  if (!runs.length) return { bucket: 'hour', points: [] };
  const first = Date.parse(runs[0].startedAt);
  const last = Date.parse(runs[runs.length - 1].startedAt);
  const bucket = last - first <= HOURLY_SPAN_MS ? 'hour' : 'day';
  const groups = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const start = run.startedAt.slice(0, bucket === 'hour' ? 13 : 10);
    groups.set(start, [...(groups.get(start) ?? []), run]);
  }
  const points = [...groups].map(([start, group]): TimelinePoint => {
    const totals = runTotals(group);
    return {
      start: bucket === 'hour' ? `${start}:00:00.000Z` : `${start}T00:00:00.000Z`,
      reviews: group.length,
      successRate: totals.reviews.successRate,
      hunks: totals.cache.hunks,
      cacheHitRate: totals.cache.hitRate,
      p50Ms: totals.duration.p50Ms,
      p95Ms: totals.duration.p95Ms,
      promptTokens: totals.llm.promptTokens,
      completionTokens: totals.llm.completionTokens,
      costUsd: totals.llm.costUsd,
      savedUsd: totals.llm.savedUsd,
      findings: Object.values(totals.findings.byRule).reduce((a, b) => a + b, 0),
    };
  });
  return { bucket, points };
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

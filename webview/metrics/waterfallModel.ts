/**
 * The last review's spans laid out as a waterfall: one row per span, each under its parent
 * (depth-first, siblings by start), with its bar's offset and width as fractions of the
 * review's time. Stages that ran at once (the LLM beside the type-checked rules) have
 * overlapping bars on rows of the same depth. Pure, so that the layout is tested without a page.
 */
import type { ReviewTrace, TraceSpan } from '../../shared/observability';

export interface WaterfallRow {
  spanId: string;
  name: string;
  /** 0 for the review, 1 for its stages, 2 for what a stage ran (a rule's compatibility check, an LLM call). */
  depth: number;
  startMs: number;
  durationMs: number;
  /** Where the bar starts and how long it is, as fractions (0–1) of the axis. */
  offset: number;
  width: number;
  failed: boolean;
  /** The failure's class and message, for the bar's title and the table. */
  error?: string;
}

export interface Waterfall {
  rows: WaterfallRow[];
  /** The axis's length: the review's (or its longest span's) end. */
  totalMs: number;
  /** Round times for the axis's gridlines, with their fraction of it. */
  ticks: Array<{ ms: number; at: number }>;
}

/** Rows of a trace; a span whose parent is not in the trace is shown under the review. */
export function waterfallOf(trace: ReviewTrace): Waterfall {
  const totalMs = Math.max(trace.durationMs, ...trace.spans.map((span) => span.startMs + span.durationMs), 1);
  const ids = new Set(trace.spans.map((span) => span.spanId));
  const root = trace.spans.find((span) => span.parentSpanId === null);
  const parentOf = (span: TraceSpan) => (span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : span === root ? null : root?.spanId ?? null);
  const children = new Map<string | null, TraceSpan[]>();
  for (const span of trace.spans) {
    const parent = parentOf(span);
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  for (const list of children.values()) list.sort((a, b) => a.startMs - b.startMs || a.name.localeCompare(b.name));

  const rows: WaterfallRow[] = [];
  const seen = new Set<string>();
  const visit = (span: TraceSpan, depth: number) => {
    if (seen.has(span.spanId)) return; // a cycle of parents in a damaged trace: each span once
    seen.add(span.spanId);
    rows.push(rowOf(span, depth, totalMs));
    for (const child of children.get(span.spanId) ?? []) visit(child, depth + 1);
  };
  for (const top of children.get(null) ?? []) visit(top, 0);
  return { rows, totalMs, ticks: ticksOf(totalMs) };
}

function rowOf(span: TraceSpan, depth: number, totalMs: number): WaterfallRow {
  const offset = Math.min(1, Math.max(0, span.startMs / totalMs));
  const width = Math.min(1 - offset, Math.max(0, span.durationMs / totalMs));
  const failed = span.status === 'error';
  const errorClass = span.attributes['error.type'];
  const message = span.attributes['exception.message'] ?? span.attributes['error.message'];
  const error = failed ? [errorClass, message].filter((part) => part !== undefined).join(': ') || 'failed' : undefined;
  return { spanId: span.spanId, name: span.name, depth, startMs: span.startMs, durationMs: span.durationMs, offset, width, failed, ...(error ? { error } : {}) };
}

/** Four to eight gridlines at a round step (1, 2 or 5 times a power of ten milliseconds). */
export function ticksOf(totalMs: number): Waterfall['ticks'] {
  const rough = totalMs / 5;
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1e-3)));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => totalMs / candidate <= 8) ?? 10 * power;
  const ticks: Waterfall['ticks'] = [];
  for (let ms = 0; ms <= totalMs + 1e-9; ms += step) ticks.push({ ms: Math.round(ms * 1000) / 1000, at: ms / totalMs });
  return ticks;
}

/**
 * `npm run bench observability`: what watching a review costs (issue 18's targets), on the
 * p90 pull request of the impact bench (5 modules of the OpenAI SDK in 5,000 files of real
 * code), reviewed in one warm process with the cache and the LLM off so that every round
 * does the whole work. Three ways, interleaved round by round (the machine is noisy):
 *  - off: no log, no export — what every review pays regardless is the recording of its
 *    spans and their store in the database, timed on its own from the same reviews' traces
 *    (target: < 2% of the review);
 *  - on: the structured log at debug into a rotated file, and every span exported over
 *    OTLP/HTTP to a receiver on 127.0.0.1 (target: < 10% more than off).
 * The baseline is the review with both off.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { openDatabase } from '../server/store/database';
import { SpanStore } from '../server/store/spanStore';
import { TraceRecorder } from '../server/observability/trace';
import type { ReviewTrace } from '../shared/observability';
import { Workspace, type WorkspaceOptions } from '../server/workspace';
import { prepareImpactRepository } from './impactBench';
import { median, row, type BenchResult } from './stats';
import { createLogger } from '../server/observability/logger';
import { allSinks, reviewLogSink } from '../server/observability/logSinks';
import { otlpTraceSink } from '../server/observability/otelExport';

const ROUNDS = 7;
const OFF_TARGET = 0.02;
const ON_TARGET = 0.10;

/** An OTLP/HTTP receiver that takes every export and only counts its bytes: the collector's side costs nothing here. */
async function startReceiver(): Promise<{ url: string; bytes: () => number; close: () => Promise<void> }> {
  let bytes = 0;
  const server = http.createServer((request, response) => {
    request.on('data', (chunk: Buffer) => { bytes += chunk.length; });
    request.on('end', () => { response.writeHead(200, { 'content-type': 'application/json' }).end('{}'); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, bytes: () => bytes, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * What the always-on part costs for one review's trace: its spans recorded again through a
 * recorder (each an awaited async span, as the stages are) and stored as the run's are.
 */
async function recordingCost(trace: ReviewTrace, spans: SpanStore): Promise<number> {
  const started = performance.now();
  const recorder = new TraceRecorder(`bench-${Math.random()}`, new Date().toISOString());
  await recorder.run(async () => {
    for (const span of trace.spans.slice(1)) await recorder.span(span.name, async (active) => active.setAttributes(span.attributes));
  });
  spans.save(recorder.finish('ok'));
  return performance.now() - started;
}

async function openWorkspace(root: string, dbPath: string, options: Partial<WorkspaceOptions> = {}): Promise<Workspace> {
  const workspace = await Workspace.open({ dir: root, dbPath, ...options });
  await workspace.index();
  return workspace;
}

export async function observabilityBench(projectRoot: string): Promise<BenchResult[]> {
  const root = prepareImpactRepository(projectRoot);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-observability-bench-'));
  const receiver = await startReceiver();
  const logFile = path.join(scratch, 'logs', 'diffwise.log');
  // What the CLI builds for --log-level debug --log-file F with OTEL_EXPORTER_OTLP_ENDPOINT set (server/cli/commands.ts).
  const logger = await createLogger({ component: 'cli', level: 'debug', file: logFile });
  // The SDK's exporter reads its endpoint from the process's environment, as it does in the CLI.
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
  process.env.OTEL_SERVICE_NAME = 'diffwise-bench';
  const traces = otlpTraceSink('bench');
  if (!traces) throw new Error('the OTLP export did not start');
  const sinks = {
    onReviewRecorded: allSinks(reviewLogSink(logger), traces.sink),
    flush: () => Promise.all([traces.exporter.flush(), logger.flush()]),
    close: () => traces.exporter.shutdown(),
  };
  const off = await openWorkspace(root, path.join(scratch, 'off.db'));
  const on = await openWorkspace(root, path.join(scratch, 'on.db'), { onReviewRecorded: sinks.onReviewRecorded });
  const spanDb = openDatabase(path.join(scratch, 'spans.db'));
  const spanStore = new SpanStore(spanDb);
  const request = { scope: 'branch' as const, base: 'main', useCache: false, llm: { use: false } };
  const offTimes: number[] = [];
  const onTimes: number[] = [];
  const recording: number[] = [];
  let spanCount = 0;
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      const reviewOff = async () => { const started = performance.now(); await off.review(request); return performance.now() - started; };
      const reviewOn = async () => { const started = performance.now(); await on.review(request); await sinks.flush(); return performance.now() - started; };
      // Each way goes first every other round: the second review of a round finds git's and the OS's caches warmer.
      let offMs: number;
      let onMs: number;
      if (round % 2) { onMs = await reviewOn(); offMs = await reviewOff(); } else { offMs = await reviewOff(); onMs = await reviewOn(); }
      const trace = off.metrics().lastTrace;
      if (!trace) throw new Error('the review recorded no trace');
      spanCount = trace.spans.length;
      const recordMs = await recordingCost(trace, spanStore);
      if (round === 0) continue; // warm-up: the compiler, SQLite's pages, the SDK's first export
      offTimes.push(offMs);
      onTimes.push(onMs);
      recording.push(recordMs);
    }
  } finally {
    off.close();
    on.close();
    spanDb.close();
    await sinks.close();
    await receiver.close();
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_SERVICE_NAME;
  }
  const logBytes = fs.readdirSync(path.dirname(logFile)).reduce((total, file) => total + fs.statSync(path.join(path.dirname(logFile), file)).size, 0);
  fs.rmSync(scratch, { recursive: true, force: true });
  const base = median(offTimes);
  const recorded = median(recording);
  const watched = median(onTimes);
  console.log(`observability corpus: the impact bench's p90 pull request, cache and LLM off, ${spanCount} spans a review, ${ROUNDS} rounds, medians`);
  return [
    row('review, log and export off', base, 1, 'baseline: a whole review of the p90 change'),
    row('spans recorded and stored', recorded, recorded / base, `what every review pays: ${spanCount} spans; target < ${OFF_TARGET * 100}% of the review`, recorded / base < OFF_TARGET),
    row('review, log and export on', watched, watched / base, `debug log to a rotated file (${Math.round(logBytes / 1024)} KiB in all) + OTLP/HTTP export (${Math.round(receiver.bytes() / 1024)} KiB); target < +${ON_TARGET * 100}%`, watched / base < 1 + ON_TARGET),
  ];
}

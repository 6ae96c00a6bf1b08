/**
 * A small pool of parse workers for cold or large index passes. Jobs are chunks
 * of files; results come back in completion order. Used only from the bundled
 * build, where the worker script sits next to the code that starts it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReadRequest } from './fileReader';
import type { ParseJob, ParseJobResult, ParseWorkerData } from './parseWorker';

const CHUNK_SIZE = 48;

/** How many workers to start: `DIFFWISE_INDEX_WORKERS` when set (0 turns them off), else one per core up to 4. */
export function parseWorkerCount(): number {
  const configured = Number.parseInt(process.env.DIFFWISE_INDEX_WORKERS ?? '', 10);
  if (Number.isFinite(configured) && configured >= 0) return Math.min(configured, 16);
  return Math.min(os.availableParallelism(), 4);
}

function workerScript(): string | null {
  const script = path.join(__dirname, 'parseWorker.js');
  return fs.existsSync(script) ? script : null;
}

/** Whether worker parsing can be used in this build and configuration. */
export function parsePoolAvailable(): boolean {
  return parseWorkerCount() > 0 && workerScript() !== null;
}

/**
 * Reads and parses `requests` on `count` workers, calling `onResults` with each
 * finished chunk. Rejects on the first worker failure (the caller falls back to
 * parsing on its own thread); all workers are terminated either way.
 */
export async function parseInWorkers(
  root: string,
  maxFileBytes: number,
  requests: readonly ReadRequest[],
  onResults: (requests: readonly ReadRequest[], results: ParseJobResult['results']) => void,
  signal?: AbortSignal,
): Promise<void> {
  const script = workerScript();
  if (!script) throw new Error('parse worker script not found');
  const chunks: ReadRequest[][] = [];
  for (let start = 0; start < requests.length; start += CHUNK_SIZE) chunks.push(requests.slice(start, start + CHUNK_SIZE));
  const count = Math.max(1, Math.min(parseWorkerCount(), chunks.length));
  const data: ParseWorkerData = { root, maxFileBytes };
  const workers = Array.from({ length: count }, () => new Worker(script, { workerData: data }));
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (signal?.aborted) return reject(signal.reason);
              if (next >= chunks.length) return resolve();
              const job: ParseJob = { id: next, requests: chunks[next++] };
              worker.postMessage(job);
            };
            worker.on('message', (result: ParseJobResult) => {
              try {
                onResults(chunks[result.id], result.results);
              } catch (error) {
                return reject(error);
              }
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => (next < chunks.length ? reject(new Error(`parse worker exited with code ${code}`)) : undefined));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

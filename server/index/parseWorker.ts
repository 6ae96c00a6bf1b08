/**
 * Entry point of an index parse worker: reads, hashes and parses the files it is
 * sent and posts back what it extracted. Parsing is nearly all of a cold index's
 * cost and needs no database, so it spreads over the machine's cores while the
 * main thread writes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readForIndex, type ReadRequest } from './fileReader';

export interface ParseWorkerData {
  root: string;
  maxFileBytes: number;
}

export interface ParseJob {
  id: number;
  requests: ReadRequest[];
}

export interface ParseJobResult {
  id: number;
  results: Array<ReturnType<typeof readForIndex>>;
}

if (parentPort) {
  const { root, maxFileBytes } = workerData as ParseWorkerData;
  const port = parentPort;
  port.on('message', (job: ParseJob) => {
    const result: ParseJobResult = { id: job.id, results: job.requests.map((request) => readForIndex(root, request, maxFileBytes)) };
    port.postMessage(result);
  });
}

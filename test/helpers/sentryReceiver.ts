/**
 * A Sentry ingest endpoint on 127.0.0.1 for the tests: it accepts what an SDK posts to
 * `POST /api/<project>/envelope/` and decodes the envelope format as Sentry documents it:
 * a JSON header line, then pairs of an item header line and its payload (of the header's
 * `length` in bytes when given, else up to the next newline), gzip- or deflate-compressed
 * when Content-Encoding says so.
 *
 *   const receiver = await startSentryReceiver();
 *   runCli(repo, ['review', '--base', 'nope'], { SENTRY_DSN: receiver.dsn });
 *   receiver.events()  // the event payloads, parsed
 *   await receiver.close();
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';

export interface EnvelopeItem {
  header: { type: string; length?: number; [key: string]: unknown };
  /** The payload parsed as JSON when it is JSON, else its text. */
  payload: unknown;
}

export interface Envelope {
  /** The project id of the URL it was posted to. */
  project: string;
  header: Record<string, unknown>;
  items: EnvelopeItem[];
  /** The request's headers (content-encoding, user-agent…), as received. */
  requestHeaders: http.IncomingHttpHeaders;
}

export interface SentryReceiver {
  /** A DSN that sends here: `http://publickey@127.0.0.1:PORT/1`. */
  dsn: string;
  envelopes: Envelope[];
  /** The payloads of every `event` item received so far. */
  events(): Array<Record<string, any>>;
  /** Resolves once `count` events have arrived (rejects after `timeoutMs`). */
  waitForEvents(count: number, timeoutMs?: number): Promise<Array<Record<string, any>>>;
  /** Answer every later envelope with this status (Sentry answers 429 when rate-limited). */
  setStatus(status: number): void;
  close(): Promise<void>;
}

/** Decodes one envelope body (already decompressed). */
export function parseEnvelope(body: Buffer): { header: Record<string, unknown>; items: EnvelopeItem[] } {
  let at = 0;
  const line = (): Buffer => {
    const end = body.indexOf(0x0a, at);
    const slice = body.subarray(at, end === -1 ? body.length : end);
    at = end === -1 ? body.length : end + 1;
    return slice;
  };
  const header = JSON.parse(line().toString('utf8')) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (at < body.length) {
    const headerLine = line();
    if (headerLine.length === 0) continue; // a trailing newline
    const itemHeader = JSON.parse(headerLine.toString('utf8')) as EnvelopeItem['header'];
    let payload: Buffer;
    if (typeof itemHeader.length === 'number') {
      payload = body.subarray(at, at + itemHeader.length);
      at += itemHeader.length;
      if (body[at] === 0x0a) at += 1;
    } else {
      payload = line();
    }
    const text = payload.toString('utf8');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // An attachment, say: kept as text.
    }
    items.push({ header: itemHeader, payload: parsed });
  }
  return { header, items };
}

function decompress(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'gzip') return zlib.gunzipSync(body);
  if (encoding === 'deflate') return zlib.inflateSync(body);
  if (encoding === 'br') return zlib.brotliDecompressSync(body);
  return body;
}

export async function startSentryReceiver(): Promise<SentryReceiver> {
  const envelopes: Envelope[] = [];
  const waiters: Array<() => void> = [];
  let status = 200;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const match = /^\/api\/([^/]+)\/envelope\/?(?:\?|$)/.exec(request.url ?? '');
      if (request.method !== 'POST' || !match) {
        response.writeHead(404).end();
        return;
      }
      try {
        const body = decompress(Buffer.concat(chunks), request.headers['content-encoding']);
        envelopes.push({ project: match[1], ...parseEnvelope(body), requestHeaders: request.headers });
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
        return;
      }
      response.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{}' : '{"detail":"refused"}');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const events = () => envelopes.flatMap((envelope) => envelope.items.filter((item) => item.header.type === 'event').map((item) => item.payload as Record<string, any>));
  return {
    dsn: `http://publickey@127.0.0.1:${port}/1`,
    envelopes,
    events,
    async waitForEvents(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (events().length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`waited ${timeoutMs} ms for ${count} Sentry event(s), got ${events().length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return events();
    },
    setStatus(next) {
      status = next;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

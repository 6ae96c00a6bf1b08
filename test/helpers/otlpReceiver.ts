/**
 * An OpenTelemetry collector's OTLP/HTTP traces endpoint on 127.0.0.1 for the tests: it
 * accepts `POST /v1/traces` and decodes an `ExportTraceServiceRequest` in its JSON encoding
 * as the OTLP specification gives it: resourceSpans → scopeSpans → spans, ids in hex,
 * times as decimal strings of nanoseconds, attribute values typed (`stringValue`,
 * `intValue` as a string, `doubleValue`, `boolValue`), gzip-compressed when Content-Encoding
 * says so. The protobuf encoding is answered 415: decoding it would need a protobuf library,
 * and `@opentelemetry/exporter-trace-otlp-http` sends JSON.
 *
 *   const receiver = await startOtlpReceiver();
 *   runCli(repo, ['review'], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
 *   receiver.spans()  // every span received, flattened with its resource's attributes
 *   await receiver.close();
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';

export type OtlpValue = string | number | boolean | null;

/** One span as received, with its resource's and scope's attributes beside it. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span, as OTLP's JSON leaves it empty or absent. */
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind number: 1 internal, 3 client. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, OtlpValue>;
  /** OTLP's status code (0 unset, 1 ok, 2 error) and message. */
  status: { code: number; message?: string };
  resource: Record<string, OtlpValue>;
  scope: { name: string; version?: string };
}

export interface OtlpReceiver {
  /** What OTEL_EXPORTER_OTLP_ENDPOINT is set to: the exporter appends `/v1/traces`. */
  endpoint: string;
  /** How many export requests arrived, decoded or not. */
  requests: number;
  /** The request headers of each export (for OTEL_EXPORTER_OTLP_HEADERS). */
  requestHeaders: http.IncomingHttpHeaders[];
  spans(): ReceivedSpan[];
  /** Resolves once `count` spans have arrived (rejects after `timeoutMs`). */
  waitForSpans(count: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
}

/** An attribute's value: an `intValue` is a string in JSON (64 bits), turned into a number here. */
function valueOf(value: AnyValue | undefined): OtlpValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return JSON.stringify((value.arrayValue.values ?? []).map(valueOf));
  return null;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, OtlpValue> {
  return Object.fromEntries((list ?? []).map((entry) => [entry.key, valueOf(entry.value)]));
}

/** Decodes one `ExportTraceServiceRequest` in OTLP's JSON encoding into its spans. */
export function decodeTraceRequest(body: unknown): ReceivedSpan[] {
  const request = body as { resourceSpans?: Array<{ resource?: { attributes?: KeyValue[] }; scopeSpans?: Array<{ scope?: { name: string; version?: string }; spans?: any[] }> }> };
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          traceId: String(span.traceId), spanId: String(span.spanId), parentSpanId: String(span.parentSpanId ?? ''),
          name: String(span.name), kind: Number(span.kind ?? 0),
          startTimeUnixNano: BigInt(span.startTimeUnixNano), endTimeUnixNano: BigInt(span.endTimeUnixNano),
          attributes: attributesOf(span.attributes), status: { code: Number(span.status?.code ?? 0), message: span.status?.message },
          resource, scope: { name: scopeSpans.scope?.name ?? '', version: scopeSpans.scope?.version },
        });
      }
    }
  }
  return spans;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const waiters: Array<() => void> = [];
  const receiver: OtlpReceiver = {
    endpoint: '',
    requests: 0,
    requestHeaders: [],
    spans: () => [...received],
    waitForSpans(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for ${count} spans; got ${received.length}`)), timeoutMs);
        // Waits again after each request until enough spans are in.
        const check = (): void => {
          if (received.length < count) {
            waiters.push(check);
            return;
          }
          clearTimeout(timer);
          resolve([...received]);
        };
        check();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      receiver.requests++;
      receiver.requestHeaders.push(request.headers);
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
        response.writeHead(415).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      try {
        received.push(...decodeTraceRequest(JSON.parse(body.toString('utf8'))));
      } catch {
        response.writeHead(400).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      for (const waiter of waiters.splice(0)) waiter();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

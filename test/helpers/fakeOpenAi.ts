/**
 * A fake OpenAI-compatible Chat Completions server on 127.0.0.1, scripted per
 * test with a queue of behaviours, recording every request for assertions.
 *
 *   const fake = await startFakeOpenAi();
 *   fake.enqueue({ kind: 'success', content: '{"ok":true}' }, { kind: 'status', status: 500 });
 *   const client = new ChatClient({ baseUrl: fake.baseUrl, apiKey: 'k', model: 'gpt-4o-mini' });
 *   ...
 *   await fake.close();
 *
 * The wire format is the documented one: a `chat.completion` object on success,
 * `{ error: { message, type, param, code } }` on failure (the SDK's `ErrorObject`).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server does with one request. */
export type FakeBehaviour =
  /** 200 with a chat.completion whose message content is `content`. */
  | { kind: 'success'; content: string | null; refusal?: string; usage?: { prompt: number; completion: number }; model?: string; delayMs?: number }
  /** 429, with Retry-After and/or retry-after-ms when given. */
  | { kind: 'rateLimit'; retryAfter?: string; retryAfterMs?: string }
  /** Any status with an OpenAI error body. */
  | { kind: 'status'; status: number; message?: string; type?: string; headers?: Record<string, string> }
  /** Never answers; the client must time out. */
  | { kind: 'hang' }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformedBody' }
  /** Any status and body, as given: a proxy's HTML page, JSON of the wrong shape. */
  | { kind: 'raw'; status: number; body: string; contentType?: string }
  /** Sends the headers and the start of `body`, then nothing more. */
  | { kind: 'stall'; body: string }
  /** Decides from the request body (for example, a finding on a line the prompt names). */
  | { kind: 'handler'; handle: (body: any) => FakeBehaviour };

/** One request as received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  /** When it arrived, and when its connection closed (0 until then), in epoch ms: how long a client waited. */
  receivedAt: number;
  closedAt: number;
}

/** A running fake server. */
export interface FakeOpenAi {
  /** The base URL to give the client, ending in `/v1`. */
  baseUrl: string;
  /** Every request, in arrival order. */
  requests: RecordedRequest[];
  /** The most requests that were ever being handled at once. */
  readonly maxInFlight: number;
  /** Appends behaviours; each request takes the next one. */
  enqueue(...behaviours: FakeBehaviour[]): void;
  /** What a request gets when the queue is empty (500 "nothing scripted" by default). */
  setDefault(behaviour: FakeBehaviour): void;
  /**
   * When true, every request asking for `response_format: json_schema` gets the
   * 400 a server without structured outputs sends, without taking from the queue.
   */
  rejectJsonSchema: boolean;
  /** The `GET /v1/models` requests (a health check's), kept apart: `requests` holds only what a review sends. */
  modelRequests: RecordedRequest[];
  /** What `GET /v1/models` lists (OpenAI's `list` of `model` objects); `gpt-4o-mini` by default. */
  models: string[];
  /** When set, `GET /v1/models` with another bearer token gets OpenAI's 401 `invalid_api_key`. */
  acceptedKey: string | undefined;
  close(): Promise<void>;
}

/** The 400 body of a server that does not support json_schema response formats. */
export const JSON_SCHEMA_UNSUPPORTED = {
  error: { message: 'response_format json_schema is not supported', type: 'invalid_request_error', param: 'response_format', code: null },
};

/** Starts a fake server on 127.0.0.1 and an ephemeral port. */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: FakeBehaviour[] = [];
  let fallback: FakeBehaviour = { kind: 'status', status: 500, message: 'nothing scripted for this request', type: 'server_error' };
  let inFlight = 0;
  let maxInFlight = 0;
  let counter = 0;

  const state = {
    requests: [] as RecordedRequest[],
    rejectJsonSchema: false,
    models: ['gpt-4o-mini'],
    modelRequests: [] as RecordedRequest[],
    acceptedKey: undefined as string | undefined,
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const record: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, receivedAt: Date.now(), closedAt: 0 };
      const listing = req.method === 'GET' && req.url === '/v1/models';
      (listing ? state.modelRequests : state.requests).push(record);
      res.on('close', () => {
        record.closedAt = Date.now();
      });
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        inFlight -= 1;
      };
      res.on('close', finish);

      if (listing) {
        const key = req.headers.authorization?.replace(/^Bearer\s+/i, '');
        if (state.acceptedKey !== undefined && key !== state.acceptedKey) {
          sendJson(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
          return;
        }
        sendJson(res, 200, { object: 'list', data: state.models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) });
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error', param: null, code: null } });
        return;
      }
      if (state.rejectJsonSchema && body?.response_format?.type === 'json_schema') {
        sendJson(res, 400, JSON_SCHEMA_UNSUPPORTED);
        return;
      }
      let behaviour = queue.shift() ?? fallback;
      while (behaviour.kind === 'handler') behaviour = behaviour.handle(body);
      switch (behaviour.kind) {
        case 'success': {
          const usage = behaviour.usage ?? { prompt: 10, completion: 5 };
          const payload = {
            id: `chatcmpl-fake-${++counter}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: behaviour.model ?? body?.model ?? 'fake-model',
            choices: [{ index: 0, message: { role: 'assistant', content: behaviour.content, refusal: behaviour.refusal ?? null }, logprobs: null, finish_reason: 'stop' }],
            usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
          };
          if (behaviour.delayMs) setTimeout(() => sendJson(res, 200, payload), behaviour.delayMs);
          else sendJson(res, 200, payload);
          return;
        }
        case 'rateLimit': {
          const headers: Record<string, string> = {};
          if (behaviour.retryAfter !== undefined) headers['retry-after'] = behaviour.retryAfter;
          if (behaviour.retryAfterMs !== undefined) headers['retry-after-ms'] = behaviour.retryAfterMs;
          sendJson(res, 429, { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, headers);
          return;
        }
        case 'status':
          sendJson(res, behaviour.status, { error: { message: behaviour.message ?? `status ${behaviour.status}`, type: behaviour.type ?? 'server_error', param: null, code: null } }, behaviour.headers);
          return;
        case 'hang':
          // Left open on purpose; close() destroys the socket.
          return;
        case 'malformedBody':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"id": "chatcmpl-broken", "choices": [');
          return;
        case 'raw':
          res.writeHead(behaviour.status, { 'content-type': behaviour.contentType ?? 'application/json', 'content-length': Buffer.byteLength(behaviour.body) });
          res.end(behaviour.body);
          return;
        case 'stall':
          // Left open on purpose after the first bytes; close() destroys the socket.
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(behaviour.body) * 2 + 100 });
          res.write(behaviour.body);
          return;
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get rejectJsonSchema() {
      return state.rejectJsonSchema;
    },
    set rejectJsonSchema(value: boolean) {
      state.rejectJsonSchema = value;
    },
    get modelRequests() {
      return state.modelRequests;
    },
    get models() {
      return state.models;
    },
    set models(value: string[]) {
      state.models = value;
    },
    get acceptedKey() {
      return state.acceptedKey;
    },
    set acceptedKey(value: string | undefined) {
      state.acceptedKey = value;
    },
    enqueue: (...behaviours) => void queue.push(...behaviours),
    setDefault: (behaviour) => {
      fallback = behaviour;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung requests and keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

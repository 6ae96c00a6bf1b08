import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { ChatClient, LlmError, type ChatClientOptions } from '../../server/llm/chatClient';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fakeOpenAi';

const API_KEY = 'sk-test-SECRET-0123456789abcdef';

const Finding = z.object({
  findings: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
type Finding = z.infer<typeof Finding>;

const answer: Finding = { findings: [{ line: 3, message: 'null dereference' }] };

const request = { system: 'You review code.', user: 'Review this hunk.', schema: Finding, schemaName: 'review_findings' };

describe('LLM chat client (fake OpenAI server)', function () {
  let fake: FakeOpenAi;
  let sleeps: number[];
  let clock: number;

  beforeEach(async () => {
    fake = await startFakeOpenAi();
    sleeps = [];
    clock = Date.parse('2026-11-25T12:00:00.000Z');
  });
  afterEach(async () => {
    await fake.close();
  });

  /** A client on the fake server with instant, recorded sleeps and a settable clock. */
  function client(options: Partial<ChatClientOptions> = {}): ChatClient {
    return new ChatClient({
      baseUrl: fake.baseUrl,
      apiKey: API_KEY,
      model: 'gpt-4o-mini',
      // The fake runs on 127.0.0.1, which would be free: price it like OpenAI.
      prices: { 'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 } },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      now: () => clock,
      random: () => 0.5,
      ...options,
    });
  }

  async function rejection(promise: Promise<unknown>): Promise<LlmError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof LlmError, `expected an LlmError, got ${String(error)}`);
      return error;
    }
    assert.fail('expected the call to fail');
  }

  it('returns the parsed value, the usage and its cost, asking for strict json_schema output', async () => {
    fake.enqueue({ kind: 'success', content: JSON.stringify(answer), usage: { prompt: 1_000_000, completion: 500_000 } });
    const result = await client().complete(request);
    assert.deepEqual(result.value, answer);
    assert.deepEqual(result.usage, { prompt: 1_000_000, completion: 500_000 });
    assert.ok(Math.abs(result.costUsd - 0.45) < 1e-12, String(result.costUsd));
    assert.equal(result.attempts, 1);

    assert.equal(fake.requests.length, 1);
    const sent = fake.requests[0]!;
    assert.equal(sent.headers.authorization, `Bearer ${API_KEY}`);
    assert.equal(sent.body.model, 'gpt-4o-mini');
    assert.deepEqual(sent.body.messages, [
      { role: 'system', content: 'You review code.' },
      { role: 'user', content: 'Review this hunk.' },
    ]);
    assert.equal(sent.body.response_format.type, 'json_schema');
    assert.equal(sent.body.response_format.json_schema.name, 'review_findings');
    assert.equal(sent.body.response_format.json_schema.strict, true);
    const schema = sent.body.response_format.json_schema.schema;
    assert.equal(schema.$schema, undefined);
    assert.equal(schema.type, 'object');
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ['findings']);
  });

  it('honours Retry-After in seconds on a 429 and then succeeds', async () => {
    fake.enqueue({ kind: 'rateLimit', retryAfter: '2' }, { kind: 'success', content: JSON.stringify(answer) });
    const result = await client().complete(request);
    assert.deepEqual(result.value, answer);
    assert.equal(result.attempts, 2);
    assert.deepEqual(sleeps, [2000]);
  });

  it('honours Retry-After as an HTTP date, retry-after-ms, and caps Retry-After at 30 s', async () => {
    fake.enqueue(
      { kind: 'rateLimit', retryAfter: new Date(clock + 5000).toUTCString() },
      { kind: 'rateLimit', retryAfterMs: '1500', retryAfter: '9' },
      { kind: 'rateLimit', retryAfter: '120' },
      { kind: 'success', content: JSON.stringify(answer) },
    );
    const result = await client().complete(request);
    assert.equal(result.attempts, 4);
    assert.deepEqual(sleeps, [5000, 1500, 30_000]);
  });

  it('retries a 500 with jittered exponential backoff, then succeeds', async () => {
    fake.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'success', content: JSON.stringify(answer) });
    const result = await client().complete(request);
    assert.deepEqual(result.value, answer);
    assert.equal(result.attempts, 3);
    // random() = 0.5: half of 500 ms, then half of 1000 ms.
    assert.deepEqual(sleeps, [250, 500]);
  });

  it('gives up after 4 attempts with an http error carrying the status', async () => {
    fake.setDefault({ kind: 'status', status: 502, message: 'bad gateway' });
    const error = await rejection(client({ random: () => 0.999999 }).complete(request));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 502);
    assert.equal(fake.requests.length, 4);
    assert.deepEqual(sleeps, [499, 999, 1999]);
    assert.match(error.message, /HTTP 502 from POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: bad gateway \(after 4 attempts\)/);
    assert.doesNotMatch(error.message, /\n/);
  });

  it('does not retry a 4xx other than 429', async () => {
    fake.enqueue({ kind: 'status', status: 401, message: 'Invalid token', type: 'invalid_request_error' });
    const error = await rejection(client().complete(request));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 401);
    assert.equal(fake.requests.length, 1);
  });

  it('times out a hung request and retries it', async () => {
    fake.enqueue({ kind: 'hang' }, { kind: 'success', content: JSON.stringify(answer) });
    const result = await client({ timeoutMs: 300 }).complete(request);
    assert.deepEqual(result.value, answer);
    assert.equal(result.attempts, 2);
    assert.equal(sleeps.length, 1);
  });

  it('reports a timeout when every attempt hangs', async () => {
    fake.setDefault({ kind: 'hang' });
    const error = await rejection(client({ timeoutMs: 100, maxAttempts: 2 }).complete(request));
    assert.equal(error.kind, 'timeout');
    assert.equal(fake.requests.length, 2);
  });

  it('times out a body that stalls after the headers (the SDK\'s own timeout stops at the headers)', async () => {
    fake.setDefault({ kind: 'stall', body: '{"id":"chatcmpl-1","choices":[{"index":0,' });
    const error = await rejection(client({ timeoutMs: 200, maxAttempts: 2 }).complete(request));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /^LLM call failed: POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions began answering but did not finish within 200 ms \(after 2 attempts\)$/);
    assert.equal(fake.requests.length, 2);
  });

  it('gives up when one call\'s deadline passes, attempts and waits together', async () => {
    fake.setDefault({ kind: 'hang' });
    const started = Date.now();
    const error = await rejection(client({ timeoutMs: 150, deadlineMs: 400, maxAttempts: 10, sleep: (ms, signal) => new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
    }), backoffBaseMs: 100 }).complete(request));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /within the 400 ms one call may take/);
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
    assert.ok(fake.requests.length < 10);
  });

  it('says what came back when a 200 is not a chat completion: an HTML page, no choices', async () => {
    fake.setDefault({ kind: 'raw', status: 200, body: '<html><head><title>Sign in</title></head></html>', contentType: 'text/html' });
    let error = await rejection(client().complete(request));
    assert.equal(error.kind, 'malformed');
    assert.match(error.message, /^LLM call failed: the answer of POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \(200\) is not JSON: got an HTML page \("<html><head><title>Sign in<\/title><\/head><\/html>"\) \(after 2 attempts\)$/);
    fake.setDefault({ kind: 'raw', status: 200, body: JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion' }) });
    error = await rejection(client().complete(request));
    assert.match(error.message, /\(200\) is not a chat completion: choices: .*\(got "\{"id":"chatcmpl-1","object":"chat\.completion"\}"\)/);
  });

  it('reports a network error when nothing listens', async () => {
    const baseUrl = fake.baseUrl;
    await fake.close();
    const error = await rejection(client({ baseUrl }).complete(request));
    assert.equal(error.kind, 'network');
    assert.equal(sleeps.length, 3);
    fake = await startFakeOpenAi(); // for afterEach
  });

  it('throws malformed for an answer that is not JSON, after one retry', async () => {
    fake.enqueue({ kind: 'success', content: 'Sure! Here are the findings: [' }, { kind: 'success', content: '{"findings": [' });
    const error = await rejection(client().complete(request));
    assert.equal(error.kind, 'malformed');
    assert.equal(fake.requests.length, 2);
  });

  it('recovers when the retry of an unparsable answer is valid', async () => {
    fake.enqueue({ kind: 'success', content: 'not json' }, { kind: 'success', content: JSON.stringify(answer) });
    const result = await client().complete(request);
    assert.deepEqual(result.value, answer);
    assert.equal(result.attempts, 2);
  });

  it('throws malformed for a response body that is not JSON', async () => {
    fake.setDefault({ kind: 'malformedBody' });
    const error = await rejection(client().complete(request));
    assert.equal(error.kind, 'malformed');
    assert.equal(fake.requests.length, 2);
  });

  it('throws malformed, without retrying, for an answer that violates the schema', async () => {
    fake.enqueue({ kind: 'success', content: JSON.stringify({ findings: [{ line: 'three', message: 'x' }] }) });
    const error = await rejection(client().complete(request));
    assert.equal(error.kind, 'malformed');
    assert.match(error.message, /review_findings: findings\.0\.line/);
    assert.equal(fake.requests.length, 1);
  });

  it('falls back to json_object when json_schema is rejected, and stays there', async () => {
    fake.rejectJsonSchema = true;
    fake.enqueue({ kind: 'success', content: JSON.stringify(answer) }, { kind: 'success', content: JSON.stringify(answer) });
    const chat = client();
    const first = await chat.complete(request);
    assert.deepEqual(first.value, answer);
    assert.equal(first.attempts, 2);
    assert.deepEqual(
      fake.requests.map((r) => r.body.response_format.type),
      ['json_schema', 'json_object'],
    );
    const fallback = fake.requests[1]!.body;
    assert.match(fallback.messages[0].content, /^You review code\./);
    assert.match(fallback.messages[0].content, /JSON Schema \(review_findings\)/);
    assert.match(fallback.messages[0].content, /"findings"/);
    assert.deepEqual(sleeps, []);

    const second = await chat.complete(request);
    assert.equal(second.attempts, 1);
    assert.deepEqual(
      fake.requests.map((r) => r.body.response_format.type),
      ['json_schema', 'json_object', 'json_object'],
    );
  });

  it('falls back on a 422 as well', async () => {
    fake.enqueue({ kind: 'status', status: 422, message: 'unprocessable' }, { kind: 'success', content: JSON.stringify(answer) });
    const result = await client().complete(request);
    assert.deepEqual(result.value, answer);
    assert.equal(fake.requests[1]!.body.response_format.type, 'json_object');
  });

  it('opens the circuit after 5 failed calls and half-opens after 30 s', async () => {
    fake.setDefault({ kind: 'status', status: 500 });
    const chat = client({ maxAttempts: 2 });
    for (let i = 0; i < 5; i++) assert.equal((await rejection(chat.complete(request))).kind, 'http');
    assert.equal(fake.requests.length, 10);

    const open = await rejection(chat.complete(request));
    assert.equal(open.kind, 'circuit-open');
    assert.equal(fake.requests.length, 10, 'an open circuit sends nothing');

    clock += 29_999;
    assert.equal((await rejection(chat.complete(request))).kind, 'circuit-open');

    // Half-open: one trial; while it is in flight, other calls are refused.
    clock += 1;
    fake.enqueue({ kind: 'success', content: JSON.stringify(answer), delayMs: 100 });
    const trial = chat.complete(request);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal((await rejection(chat.complete(request))).kind, 'circuit-open');
    assert.deepEqual((await trial).value, answer);

    // Closed again.
    fake.enqueue({ kind: 'success', content: JSON.stringify(answer) });
    assert.deepEqual((await chat.complete(request)).value, answer);
  });

  it('opens the circuit again when the half-open trial fails', async () => {
    fake.setDefault({ kind: 'status', status: 500 });
    const chat = client({ maxAttempts: 1 });
    for (let i = 0; i < 5; i++) await rejection(chat.complete(request));
    clock += 30_000;
    assert.equal((await rejection(chat.complete(request))).kind, 'http');
    assert.equal((await rejection(chat.complete(request))).kind, 'circuit-open');
    assert.equal(fake.requests.length, 6);
  });

  it('keeps at most maxConcurrency requests in flight across calls', async () => {
    for (let i = 0; i < 8; i++) fake.enqueue({ kind: 'success', content: JSON.stringify(answer), delayMs: 40 });
    const chat = client({ maxConcurrency: 2 });
    const results = await Promise.all(Array.from({ length: 8 }, () => chat.complete(request)));
    assert.equal(results.length, 8);
    assert.equal(fake.requests.length, 8);
    assert.equal(fake.maxInFlight, 2);
  });

  it('never puts the API key in an error message, even when the server echoes it', async () => {
    fake.enqueue(
      { kind: 'status', status: 401, message: `Incorrect API key provided: ${API_KEY}.\nYou can find your API key at https://platform.openai.com/account/api-keys.` },
      { kind: 'status', status: 400, message: `bad request for key ${API_KEY}` },
    );
    const chat = client();
    const errors = [await rejection(chat.complete(request)), await rejection(chat.complete(request))];
    fake.setDefault({ kind: 'status', status: 500, message: `internal error ${API_KEY}` });
    errors.push(await rejection(chat.complete(request)));
    fake.setDefault({ kind: 'hang' });
    errors.push(await rejection(client({ timeoutMs: 50, maxAttempts: 1 }).complete(request)));
    for (const error of errors) {
      assert.ok(!error.message.includes(API_KEY), error.message);
      assert.ok(!String(error.stack).includes(API_KEY));
      assert.ok(!JSON.stringify(error).includes(API_KEY));
      assert.doesNotMatch(error.message, /\n/);
    }
    assert.match(errors[0]!.message, /Incorrect API key provided: \*\*\*\./);
  });

  it('stops waiting for a retry when the caller aborts', async () => {
    fake.setDefault({ kind: 'status', status: 500 });
    const controller = new AbortController();
    // Real timers: the backoff sleep is what gets aborted.
    const call = client({ sleep: undefined, random: () => 1, backoffBaseMs: 10_000 }).complete({ ...request, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('review cancelled')), 100);
    await assert.rejects(call, /review cancelled/);
    assert.equal(fake.requests.length, 1);
  });

  it('treats a refusal as malformed', async () => {
    fake.enqueue({ kind: 'success', content: null, refusal: 'I cannot help with that.' });
    const error = await rejection(client().complete(request));
    assert.equal(error.kind, 'malformed');
    assert.match(error.message, /refused to answer review_findings: I cannot help with that\./);
  });

  it('stops at once when the caller aborts', async () => {
    fake.setDefault({ kind: 'hang' });
    const controller = new AbortController();
    const call = client().complete({ ...request, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('review cancelled')), 50);
    await assert.rejects(call, /review cancelled/);
    assert.equal(fake.requests.length, 1);
  });
});

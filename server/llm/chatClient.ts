/**
 * A resilient client for any OpenAI-compatible Chat Completions endpoint that
 * returns one validated, typed JSON value per call.
 *
 * The SDK's own retries are off (`maxRetries: 0`): we retry here so that we
 * control Retry-After, jitter, the shared concurrency limit and the circuit
 * breaker, and so that tests can inject time.
 *
 * The answer is read here too, not by the SDK: its timeout stops at the
 * headers (a server that sends them and then stalls would hang the review),
 * and it hands a body that is not JSON on as a string. Each attempt's timeout
 * covers the whole body, each call has a deadline over all its attempts and
 * waits, and every failure is one line naming the endpoint and the status.
 */
import { setTimeout as delay } from 'node:timers/promises';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { DEFAULT_MAX_CONCURRENCY, DEFAULT_TIMEOUT_MS, type LlmConfig } from './config';
import { costUsd, effectivePrices, priceFor, type PriceTable, type TokenUsage } from './prices';
import { responsiveTimeout } from './responsiveTimeout';
import { withSpan, type ActiveSpan } from '../observability/trace';

/** Why a call failed. */
export type LlmErrorKind = 'http' | 'timeout' | 'network' | 'malformed' | 'circuit-open' | 'budget';

/** A failed LLM call. The message is one line and never contains the API key. */
export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** One structured request. */
export interface ChatRequest<T> {
  system: string;
  user: string;
  /** What the answer must be. With strict json_schema, every property must be required (use `.nullable()`, not `.optional()`). */
  schema: z.ZodType<T>;
  /** The schema's name as the server sees it (`^[a-zA-Z0-9_-]{1,64}$`). */
  schemaName: string;
  signal?: AbortSignal;
}

/** One structured answer. */
export interface ChatResult<T> {
  value: T;
  usage: TokenUsage;
  costUsd: number;
  /** HTTP requests made for this call, retries and the json_object fallback included. */
  attempts: number;
}

/** Everything a client needs; `ChatClient.fromConfig` fills it from an `LlmConfig`. */
export interface ChatClientOptions {
  /** Undefined means OpenAI's endpoint. */
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  model: string;
  /** Per-attempt timeout, from sending to the last byte of the answer; 60 s by default. */
  timeoutMs?: number;
  /** One call's attempts and waits together; twice the timeout plus the backoff cap by default. */
  deadlineMs?: number;
  /** Requests in flight at once across all calls of this client; 4 by default. */
  maxConcurrency?: number;
  /** Defaults to `effectivePrices(baseUrl)`. */
  prices?: PriceTable;
  /** Attempts per call, the first included; 4 by default. */
  maxAttempts?: number;
  /** Backoff base and cap: full jitter over min(cap, base·2^n); 500 ms and 8 s by default. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** The longest Retry-After we honour; 30 s by default. */
  maxRetryAfterMs?: number;
  /** Consecutive failed calls that open the circuit; 5 by default. */
  breakerThreshold?: number;
  /** How long the circuit stays open before one trial call; 30 s by default. */
  breakerCooldownMs?: number;
  /** Injectable time, so tests need not wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

type Mode = 'json_schema' | 'json_object';

/**
 * One client per endpoint; share it, since the concurrency limit, the circuit
 * breaker and the remembered json_object fallback are per client.
 */
export class ChatClient {
  private readonly openai: OpenAI;
  private readonly model: string;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  /** `POST <base URL>/chat/completions`, without credentials: how messages name the endpoint. */
  private readonly endpoint: string;
  private readonly prices: PriceTable;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly semaphore: Semaphore;
  private readonly breaker: CircuitBreaker;
  private readonly redact: (text: string) => string;
  private mode: Mode = 'json_schema';

  constructor(options: ChatClientOptions) {
    this.model = options.model;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.prices = options.prices ?? effectivePrices(options.baseUrl);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffCapMs = options.backoffCapMs ?? 8_000;
    this.deadlineMs = options.deadlineMs ?? 2 * this.timeoutMs + this.backoffCapMs;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.semaphore = new Semaphore(options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
    this.breaker = new CircuitBreaker(options.breakerThreshold ?? 5, options.breakerCooldownMs ?? 30_000, this.now);
    const key = options.apiKey;
    this.redact = (text) => oneLine(key ? text.split(key).join('***') : text);
    // Explicit, so OPENAI_BASE_URL in the environment cannot redirect a client configured for OpenAI.
    const baseURL = options.baseUrl ?? 'https://api.openai.com/v1';
    this.endpoint = `POST ${baseURL.replace(/^([a-z+]+:\/\/)[^@/]*@/i, '$1').replace(/\/+$/, '')}/chat/completions`;
    this.openai = new OpenAI({
      baseURL,
      // The SDK refuses to start without a key; a local endpoint needs none and ignores this one.
      apiKey: key ?? 'no-key',
      maxRetries: 0,
      // The attempts' own clock is ours (see attempt()); the SDK's only bounds a call as a whole.
      timeout: this.deadlineMs,
    });
  }

  /** A client for `config`; `overrides` is for tests (time) and callers with special limits. */
  static fromConfig(config: LlmConfig, overrides: Partial<ChatClientOptions> = {}): ChatClient {
    return new ChatClient({
      baseUrl: config.baseUrl,
      apiKey: config.apiKey,
      model: config.model,
      timeoutMs: config.timeoutMs,
      maxConcurrency: config.maxConcurrency,
      prices: config.prices,
      ...overrides,
    });
  }

  /**
   * Asks for one JSON value matching `request.schema`. Retries 429, 408, 5xx,
   * timeouts and network errors (full-jitter backoff, or the server's
   * Retry-After), and an unparsable answer once; a schema violation, a refusal
   * or another 4xx fails at once. Throws `LlmError`, or the signal's reason
   * when the caller aborts.
   */
  async complete<T>(request: ChatRequest<T>): Promise<ChatResult<T>> {
    request.signal?.throwIfAborted();
    this.breaker.check();
    const release = await this.semaphore.acquire(request.signal);
    let trial = false;
    try {
      // Checked again: the circuit may have opened while this call waited for a slot.
      trial = this.breaker.enter();
      // One span per call (its attempts inside), opened once it holds a slot: the wait is not the endpoint's.
      const result = await withSpan('llm.call', async (span) => {
        const answer = await this.attempt(request, span);
        span.setAttributes({ 'gen_ai.usage.input_tokens': answer.usage.prompt, 'gen_ai.usage.output_tokens': answer.usage.completion, 'diffwise.llm.cost_usd': answer.costUsd });
        return answer;
      }, { 'gen_ai.system': 'openai', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': this.model, 'diffwise.llm.schema': request.schemaName });
      this.breaker.succeeded(trial);
      return result;
    } catch (error) {
      if (request.signal?.aborted) this.breaker.abandoned(trial);
      else if (error instanceof LlmError && error.kind === 'circuit-open') {
        // Refused by the breaker: not a failure of the endpoint.
      } else this.breaker.failed(trial);
      throw error;
    } finally {
      release();
    }
  }

  private async attempt<T>(request: ChatRequest<T>, span: ActiveSpan): Promise<ChatResult<T>> {
    const jsonSchema = toStrictJsonSchema(request.schema);
    const deadlineClock = responsiveTimeout(this.deadlineMs);
    try {
      return await this.attemptUntil(request, jsonSchema, deadlineClock.signal, span);
    } finally {
      deadlineClock.dispose();
    }
  }

  private async attemptUntil<T>(request: ChatRequest<T>, jsonSchema: ReturnType<typeof toStrictJsonSchema>, deadline: AbortSignal, span: ActiveSpan): Promise<ChatResult<T>> {
    let attempts = 0;
    let retries = 0;
    let malformedRetried = false;
    for (;;) {
      const mode = this.mode;
      attempts += 1;
      span.setAttributes({ 'diffwise.llm.attempts': attempts, 'diffwise.llm.retries': retries });
      let completion: Completion;
      // Time our own type checker held the event loop is not the endpoint's (responsiveTimeout.ts).
      const attemptClock = responsiveTimeout(this.timeoutMs);
      const timer = attemptClock.signal;
      const signal = AbortSignal.any(request.signal ? [timer, deadline, request.signal] : [timer, deadline]);
      let answered = false;
      try {
        const response = await this.openai.chat.completions.create(this.body(request, mode, jsonSchema), { timeout: this.deadlineMs, maxRetries: 0, signal }).asResponse();
        answered = true;
        span.setAttributes({ 'http.response.status_code': response.status });
        completion = this.parseCompletion(await response.text(), response.status);
        attemptClock.dispose();
      } catch (error) {
        attemptClock.dispose();
        if (request.signal?.aborted) throw request.signal.reason ?? error;
        if (mode === 'json_schema' && rejectsJsonSchema(error)) {
          // The server cannot do strict structured output: describe the schema in the
          // prompt instead, from now on. Not a retry: the endpoint did nothing wrong.
          this.mode = 'json_object';
          continue;
        }
        if (deadline.aborted) {
          throw this.final(new LlmError('timeout', `no complete answer from ${this.endpoint} within the ${this.deadlineMs} ms one call may take`), attempts);
        }
        const failure = timer.aborted
          ? { error: new LlmError('timeout', answered ? `${this.endpoint} began answering but did not finish within ${this.timeoutMs} ms` : `no answer within ${this.timeoutMs} ms from ${this.endpoint}`), retryable: true }
          : this.classify(error);
        span.setAttributes({ 'http.response.status_code': failure.error.status });
        const retryable = failure.retryable || (failure.error.kind === 'malformed' && !malformedRetried);
        if (failure.error.kind === 'malformed') malformedRetried = true;
        if (!retryable || retries + 1 >= this.maxAttempts) throw this.final(failure.error, attempts);
        retries += 1;
        try {
          await this.sleep(failure.retryAfterMs ?? this.backoff(retries), AbortSignal.any(request.signal ? [deadline, request.signal] : [deadline]));
        } catch (sleepError) {
          // The caller's reason (as for an aborted request), not the timer's AbortError.
          if (request.signal?.aborted) throw request.signal.reason ?? sleepError;
          if (deadline.aborted) throw this.final(new LlmError(failure.error.kind, `${failure.error.message}; no time left for another attempt within the ${this.deadlineMs} ms one call may take`, failure.error.status), attempts);
          throw sleepError;
        }
        continue;
      }

      if (completion.choices.length === 0) {
        throw this.final(new LlmError('malformed', `the answer of ${this.endpoint} (200) has an empty list of choices`), attempts);
      }
      const message = completion.choices[0].message;
      if (message?.refusal) {
        throw this.final(new LlmError('malformed', `the model refused to answer ${request.schemaName}: ${this.redact(message.refusal).slice(0, 200)}`), attempts);
      }
      const content = message?.content;
      const usage: TokenUsage = { prompt: completion.usage?.prompt_tokens ?? 0, completion: completion.usage?.completion_tokens ?? 0 };
      let json: unknown;
      try {
        if (typeof content !== 'string') throw new Error('no content');
        json = JSON.parse(content);
      } catch {
        // Truncated or chatty output is often a one-off; one more try is cheap.
        if (!malformedRetried && retries + 1 < this.maxAttempts) {
          malformedRetried = true;
          retries += 1;
          continue;
        }
        const got = typeof content === 'string' ? `: "${this.redact(content).slice(0, 60)}${content.length > 60 ? '…' : ''}"` : ' (it has no content)';
        throw this.final(new LlmError('malformed', `the model's answer for ${request.schemaName} (${this.endpoint}, 200) is not JSON${got}`), attempts);
      }
      const parsed = request.schema.safeParse(json);
      if (!parsed.success) {
        // The model answered, but not what we asked; asking again rarely helps and costs.
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
        throw this.final(new LlmError('malformed', `the answer does not match ${request.schemaName}: ${where}: ${issue?.message ?? 'invalid'}`), attempts);
      }
      const priced = priceFor(this.model, this.prices) ? this.model : completion.model || this.model;
      return { value: parsed.data, usage, costUsd: costUsd(priced, usage, this.prices), attempts };
    }
  }

  /**
   * The body of a 2xx answer as a chat completion, or a malformed LlmError
   * saying what came back instead: a proxy's HTML page, JSON cut short, an
   * object without `choices`.
   */
  private parseCompletion(text: string, status: number): Completion {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new LlmError('malformed', `the answer of ${this.endpoint} (${status}) is not JSON: got ${describeBody(this.redact(text))}`, status);
    }
    const parsed = completionSchema().safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    const shown = this.redact(JSON.stringify(value) ?? String(value));
    throw new LlmError('malformed', `the answer of ${this.endpoint} (${status}) is not a chat completion: ${where}: ${issue?.message ?? 'invalid'} (got "${shown.slice(0, 60)}${shown.length > 60 ? '…' : ''}")`, status);
  }

  private body(request: ChatRequest<unknown>, mode: Mode, jsonSchema: Record<string, unknown>): ChatCompletionCreateParamsNonStreaming {
    if (mode === 'json_schema') {
      return {
        model: this.model,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.user },
        ],
        response_format: { type: 'json_schema', json_schema: { name: request.schemaName, strict: true, schema: jsonSchema } },
      };
    }
    // json_object mode requires the word "JSON" in the messages, and knows nothing of our schema.
    const system = `${request.system}\n\nAnswer with a single JSON object and nothing else. It must match this JSON Schema (${request.schemaName}):\n${JSON.stringify(jsonSchema)}`;
    return {
      model: this.model,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: request.user },
      ],
      response_format: { type: 'json_object' },
    };
  }

  private classify(error: unknown): { error: LlmError; retryable: boolean; retryAfterMs?: number } {
    if (error instanceof LlmError) return { error, retryable: false };
    if (error instanceof APIConnectionTimeoutError) {
      return { error: new LlmError('timeout', `no answer within ${this.timeoutMs} ms from ${this.endpoint}`), retryable: true };
    }
    if (error instanceof APIUserAbortError) {
      return { error: new LlmError('network', `the request to ${this.endpoint} was aborted`), retryable: true };
    }
    if (error instanceof APIConnectionError) {
      return { error: new LlmError('network', `cannot reach ${this.endpoint}: ${this.redact(rootCause(error))}`), retryable: true };
    }
    if (error instanceof APIError && typeof error.status === 'number') {
      const status = error.status;
      const retryable = status === 429 || status === 408 || status >= 500;
      const retryAfterMs = retryable ? this.retryAfter(error.headers) : undefined;
      const detail = this.redact(apiErrorDetail(error)).slice(0, 300);
      return { error: new LlmError('http', `HTTP ${status} from ${this.endpoint}${detail ? `: ${detail}` : ''}`, status), retryable, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    return { error: new LlmError('network', `request to ${this.endpoint} failed: ${this.redact(error instanceof Error ? error.message : String(error))}`), retryable: true };
  }

  /** Retry-After (seconds or an HTTP date) or retry-after-ms, capped; undefined when absent or unreadable. */
  private retryAfter(headers: Headers | undefined): number | undefined {
    if (!headers) return undefined;
    let ms: number | undefined;
    const msHeader = headers.get('retry-after-ms');
    if (msHeader !== null && msHeader.trim() !== '' && Number.isFinite(Number(msHeader))) ms = Number(msHeader);
    const header = headers.get('retry-after');
    if (ms === undefined && header !== null && header.trim() !== '') {
      if (/^\s*\d+(?:\.\d+)?\s*$/.test(header)) ms = Number(header) * 1000;
      else {
        const date = Date.parse(header);
        if (!Number.isNaN(date)) ms = date - this.now();
      }
    }
    if (ms === undefined) return undefined;
    return Math.min(Math.max(0, ms), this.maxRetryAfterMs);
  }

  /** Full jitter: a uniform delay in [0, min(cap, base·2^(retry-1))). */
  private backoff(retry: number): number {
    return Math.floor(this.random() * Math.min(this.backoffCapMs, this.backoffBaseMs * 2 ** (retry - 1)));
  }

  private final(error: LlmError, attempts: number): LlmError {
    const suffix = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    return new LlmError(error.kind, `LLM call failed: ${error.message}${suffix}`, error.status);
  }
}

/** The JSON Schema the server gets, without `$schema`, which some servers reject. */
function toStrictJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
}

function rejectsJsonSchema(error: unknown): boolean {
  if (!(error instanceof APIError)) return false;
  if (error.status === 422) return true;
  if (error.status !== 400) return false;
  return /response_format|json_schema/i.test(`${apiErrorDetail(error)} ${error.param ?? ''}`);
}

function apiErrorDetail(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string') return body.message;
  if (body !== undefined) return JSON.stringify(body);
  // A body that is not JSON (a proxy's error page) is only in the SDK's message, after the status.
  const text = error.message.replace(/^\d{3}\s*/, '');
  return text && text !== 'status code (no body)' ? describeBody(text) : '';
}

/** The fields of a chat completion that are read; others pass. */
const completionSchema = lazySchema(() => z.object({
  choices: z.array(z.object({
    message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }).nullish(),
  })),
  usage: z.object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() }).nullish(),
  model: z.string().nullish(),
}));
type Completion = z.infer<ReturnType<typeof completionSchema>>;

/** A body that is not JSON, in words: a proxy's HTML page, JSON cut short, text. */
function describeBody(text: string): string {
  const line = oneLine(text);
  const shown = `"${line.slice(0, 60)}${line.length > 60 ? '…' : ''}"`;
  if (!line) return 'an empty body';
  if (line.startsWith('<')) return `an HTML page (${shown})`;
  if (/^[[{]/.test(line)) return `JSON that is cut short or malformed (${shown})`;
  return `text (${shown})`;
}

function rootCause(error: Error): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause !== undefined; depth++) current = current.cause;
  if (current instanceof Error) {
    const code = (current as NodeJS.ErrnoException).code;
    return code ? `${code} ${current.message}` : current.message;
  }
  return String(current);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A counting semaphore; waiters are served in order. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active < this.limit) {
      this.active += 1;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
    // The slot was handed over by release(): `active` already counts it.
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    };
  }
}

/**
 * Closed → (threshold consecutive failed calls) → open: calls fail at once →
 * (cooldown) → half-open: one trial call; its success closes the circuit, its
 * failure opens it again.
 */
class CircuitBreaker {
  private failures = 0;
  private openUntil: number | undefined;
  private trialInFlight = false;

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number,
  ) {}

  /** Throws when a call may not start now; does not take the trial slot. */
  check(): void {
    if (this.openUntil === undefined) return;
    if (this.now() < this.openUntil || this.trialInFlight) throw this.openError();
  }

  /** Lets a call through; true when it is the half-open trial. */
  enter(): boolean {
    this.check();
    if (this.openUntil === undefined) return false;
    this.trialInFlight = true;
    return true;
  }

  succeeded(trial: boolean): void {
    if (trial) this.trialInFlight = false;
    this.failures = 0;
    this.openUntil = undefined;
  }

  failed(trial: boolean): void {
    if (trial) {
      this.trialInFlight = false;
      this.openUntil = this.now() + this.cooldownMs;
      return;
    }
    this.failures += 1;
    if (this.failures >= this.threshold && this.openUntil === undefined) this.openUntil = this.now() + this.cooldownMs;
  }

  /** The caller gave up: says nothing about the endpoint. */
  abandoned(trial: boolean): void {
    if (trial) this.trialInFlight = false;
  }

  private openError(): LlmError {
    const seconds = Math.max(0, Math.ceil(((this.openUntil ?? 0) - this.now()) / 1000));
    return new LlmError('circuit-open', `LLM calls paused after ${this.threshold} consecutive failures; next try in ${seconds} s`);
  }
}

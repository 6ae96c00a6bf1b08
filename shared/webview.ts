/**
 * The message channel between the extension and its webviews (the feedback
 * panel, the metrics dashboard and the impact view), typed once (STYLE.md habit 1).
 *
 * - A webview sends `ready` once its script runs; the extension posts nothing
 *   before that, because a message posted to a webview that is still loading is lost.
 * - A webview asks with `request` messages carrying an id; the extension answers
 *   each with one `response` of the same id (a result, or an error string).
 * - The extension pushes events (`push`) that need no answer.
 *
 * A webview runs page script, so everything it sends is checked by
 * `parseWebviewMessage` before use, as anything else crossing a process boundary.
 * Webview bundles import this file for its types only (`import type`), so zod
 * stays out of them.
 */
import { z } from 'zod';
import type { FeedbackRecord } from './feedback';
import type { GraphDocument, ImpactDocument } from './impact';
import type { Metrics } from './metrics';
import type { LastReviewChangedParams, VoteParams } from './protocol';
import type { ReviewDocument } from './review';

/** A request that takes nothing. */
type NoParams = Record<string, never>;

/** Requests the feedback panel sends, by name: what it passes and what it gets back. */
export interface FeedbackViewRequests {
  /** The last review with suppressed findings and votes (`diffwise/lastReview`); null before the first review. Fails when the daemon is not running. */
  lastReview: { params: NoParams; result: ReviewDocument | null };
  /** A vote on a finding (`diffwise/feedback`); `up` on a suppressed finding restores it. */
  vote: { params: VoteParams; result: FeedbackRecord };
  /** Opens a repository-relative file at a 1-based line in an editor. */
  openFinding: { params: { file: string; line: number }; result: null };
  /** Runs Diffwise: Review Working Tree, with its progress notification. */
  reviewWorkingTree: { params: NoParams; result: null };
  /** Runs Diffwise: Restart Daemon. */
  restartDaemon: { params: NoParams; result: null };
  /** "Ignore this finding" (the LSP command `diffwise.ignoreFinding`): left out of every later review, listed as ignored. */
  ignore: { params: { findingId: string }; result: null };
  /** Undoes an ignore (the LSP command `diffwise.unignoreFinding`, UNIGNORE_FINDING_COMMAND): the finding is reported again. */
  unignore: { params: { findingId: string }; result: null };
  /** Opens an http(s) link of a message in the browser; the webview itself follows no link. */
  openLink: { params: { url: string }; result: null };
}

/** What the extension pushes to the feedback panel. */
export interface FeedbackViewPushes {
  /** The last review changed (a review finished, or a vote changed a finding): fetch it again. */
  lastReviewChanged: LastReviewChangedParams;
  /** The daemon started or stopped: fetch again, or show that it is not running. */
  daemonChanged: { running: boolean };
}

/** Requests the metrics dashboard sends. */
export interface MetricsPanelRequests {
  /** `diffwise/metrics` since an ISO time (all runs without one). */
  metrics: { params: { since?: string }; result: Metrics };
  reviewWorkingTree: { params: NoParams; result: null };
  /** The empty state of the LLM charts: opens the `diffwise.llm` settings. */
  setUpLlm: { params: NoParams; result: null };
  openLink: { params: { url: string }; result: null };
}

/** What the extension pushes to the metrics dashboard. */
export interface MetricsPanelPushes {
  /** A review finished, or the daemon (re)started: fetch the metrics again. */
  refresh: { reason: 'review' | 'daemon' };
}

/** What the impact view draws: the daemon's `diffwise/impact` result, or null before the first review. */
export type ImpactView = ImpactDocument & { graph: GraphDocument };

/** Requests the impact view sends. */
export interface ImpactPanelRequests {
  /** The impact of the change the panel was opened for (`diffwise/impact`); null when there is no change to show yet. */
  impact: { params: NoParams; result: ImpactView | null };
  /** Opens a repository-relative file at a 1-based line (a node's declaration, or line 1 of a module). */
  openNode: { params: { file: string; line: number }; result: null };
  /** Runs Diffwise: Review Working Tree (the empty state's action). */
  reviewWorkingTree: { params: NoParams; result: null };
}

/** What the extension pushes to the impact view. */
export interface ImpactPanelPushes {
  /** Another change was chosen, a review finished or the daemon (re)started: fetch the impact again. */
  refresh: { reason: 'scope' | 'review' | 'daemon' };
}

/** Every webview, by name, with its requests and pushes. */
export interface WebviewProtocols {
  feedback: { requests: FeedbackViewRequests; pushes: FeedbackViewPushes };
  metrics: { requests: MetricsPanelRequests; pushes: MetricsPanelPushes };
  impact: { requests: ImpactPanelRequests; pushes: ImpactPanelPushes };
}

export type WebviewName = keyof WebviewProtocols;
export type RequestsOf<V extends WebviewName> = WebviewProtocols[V]['requests'];
export type PushesOf<V extends WebviewName> = WebviewProtocols[V]['pushes'];
/** What request `M` of webview `V` passes. */
export type ParamsOf<V extends WebviewName, M extends keyof RequestsOf<V>> = RequestsOf<V>[M] extends { params: infer P } ? P : never;
/** What request `M` of webview `V` gets back. */
export type ResultOf<V extends WebviewName, M extends keyof RequestsOf<V>> = RequestsOf<V>[M] extends { result: infer R } ? R : never;

/** One request message of webview `V`, for each of its request names. */
export type WebviewRequest<V extends WebviewName> = {
  [M in keyof RequestsOf<V>]: { type: 'request'; id: number; method: M; params: ParamsOf<V, M> };
}[keyof RequestsOf<V>];

/** Everything webview `V` may send to the extension. */
export type FromWebview<V extends WebviewName> = { type: 'ready' } | WebviewRequest<V>;

/** The answer to one request: `error` (a message to show) when it failed. */
export type WebviewResponse = { type: 'response'; id: number; result: unknown } | { type: 'response'; id: number; error: string };

/** One push message of webview `V`, for each of its push names. */
export type WebviewPush<V extends WebviewName> = {
  [P in keyof PushesOf<V>]: { type: 'push'; name: P; params: PushesOf<V>[P] };
}[keyof PushesOf<V>];

/** Everything the extension posts to webview `V`. */
export type ToWebview<V extends WebviewName> = WebviewResponse | WebviewPush<V>;

// ---------------------------------------------------------------------------
// Validation of what a webview sends.

const noParams = z.strictObject({});
/** A finding id or a unique prefix of one: hex, as the daemon makes them. */
const findingId = z.string().regex(/^[0-9a-f]{6,64}$/);
/**
 * A repository-relative path with forward slashes, as findings carry them; never
 * absolute and never climbing out, so a webview cannot open files outside the repository.
 */
const repositoryPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((file) => !file.startsWith('/') && !/^[A-Za-z]:/.test(file) && !file.includes('\\') && !file.split('/').includes('..'), 'a repository-relative path');

/** A link the extension may open: http or https only (no `command:`, `file:` or `vscode:` URI a page could make it run). */
const openableUrl = z
  .string()
  .max(4096)
  .refine((url) => {
    try {
      return ['http:', 'https:'].includes(new URL(url).protocol);
    } catch {
      return false;
    }
  }, 'an http(s) URL');

const requestParams: { [V in WebviewName]: { [M in keyof RequestsOf<V>]: z.ZodType<ParamsOf<V, M>> } } = {
  feedback: {
    lastReview: noParams as z.ZodType<NoParams>,
    vote: z.strictObject({ findingId, vote: z.enum(['up', 'down', 'clear']), reason: z.string().max(2000).optional() }),
    openFinding: z.strictObject({ file: repositoryPath, line: z.number().int().min(1) }),
    reviewWorkingTree: noParams as z.ZodType<NoParams>,
    restartDaemon: noParams as z.ZodType<NoParams>,
    ignore: z.strictObject({ findingId }),
    unignore: z.strictObject({ findingId }),
    openLink: z.strictObject({ url: openableUrl }),
  },
  metrics: {
    metrics: z.strictObject({ since: z.iso.datetime().optional() }),
    reviewWorkingTree: noParams as z.ZodType<NoParams>,
    setUpLlm: noParams as z.ZodType<NoParams>,
    openLink: z.strictObject({ url: openableUrl }),
  },
  impact: {
    impact: noParams as z.ZodType<NoParams>,
    openNode: z.strictObject({ file: repositoryPath, line: z.number().int().min(1) }),
    reviewWorkingTree: noParams as z.ZodType<NoParams>,
  },
};

const envelope = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('request'), id: z.number().int().nonnegative(), method: z.string(), params: z.unknown() }),
]);

export type ParsedWebviewMessage<V extends WebviewName> =
  | { ok: true; message: FromWebview<V> }
  /** `id` is set when the message was a request whose id could be read, so that it can be answered with the error. */
  | { ok: false; error: string; id?: number };

/** The request names webview `V` may send. */
export function webviewRequestNames<V extends WebviewName>(view: V): Array<keyof RequestsOf<V> & string> {
  return Object.keys(requestParams[view]) as Array<keyof RequestsOf<V> & string>;
}

/** Checks a message from webview `view` before the extension acts on it: its envelope, its request name and its params. */
export function parseWebviewMessage<V extends WebviewName>(view: V, raw: unknown): ParsedWebviewMessage<V> {
  const parsed = envelope.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null && Number.isInteger((raw as { id?: unknown }).id) ? (raw as { id: number }).id : undefined;
    return { ok: false, error: `not a message: ${z.prettifyError(parsed.error)}`, ...(id !== undefined && id >= 0 ? { id } : {}) };
  }
  const message = parsed.data;
  if (message.type === 'ready') return { ok: true, message: { type: 'ready' } };
  const schemas = requestParams[view] as Record<string, z.ZodType | undefined>;
  const schema = Object.hasOwn(schemas, message.method) ? schemas[message.method] : undefined;
  if (!schema) return { ok: false, error: `unknown request: ${message.method}`, id: message.id };
  const params = schema.safeParse(message.params);
  if (!params.success) return { ok: false, error: `bad params for ${message.method}: ${z.prettifyError(params.error)}`, id: message.id };
  return { ok: true, message: { type: 'request', id: message.id, method: message.method, params: params.data } as FromWebview<V> };
}

/**
 * The webview's end of the channel typed in shared/webview.ts: `request` (answered
 * by id), `onPush`, and the `ready` handshake, sent by `start()` once the
 * handlers are in place, because the extension posts nothing before it.
 */
import type { ParamsOf, PushesOf, RequestsOf, ResultOf, ToWebview, WebviewName } from '../../shared/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class Channel<V extends WebviewName> {
  // acquireVsCodeApi may be called once per page: the channel owns it.
  private readonly api = acquireVsCodeApi();
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private readonly pushHandlers = new Map<string, (params: unknown) => void>();

  constructor() {
    window.addEventListener('message', (event: MessageEvent<ToWebview<V>>) => this.receive(event.data));
  }

  request<M extends keyof RequestsOf<V> & string>(method: M, params: ParamsOf<V, M>): Promise<ResultOf<V, M>> {
    const id = this.nextId++;
    return new Promise<ResultOf<V, M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.api.postMessage({ type: 'request', id, method, params });
    });
  }

  onPush<P extends keyof PushesOf<V> & string>(name: P, handler: (params: PushesOf<V>[P]) => void): void {
    this.pushHandlers.set(name, handler as (params: unknown) => void);
  }

  /** Tells the extension this page listens now. */
  start(): void {
    this.api.postMessage({ type: 'ready' });
  }

  /** What the page saved with `setState`: kept while the webview is hidden and after a reload. */
  getState<S>(): Partial<S> {
    const state = this.api.getState();
    return typeof state === 'object' && state !== null ? (state as Partial<S>) : {};
  }

  setState<S>(state: S): void {
    this.api.setState(state);
  }

  private receive(message: ToWebview<V>): void {
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'response') {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if ('error' in message) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result);
    } else if (message.type === 'push') {
      this.pushHandlers.get(message.name as string)?.(message.params);
    }
  }
}

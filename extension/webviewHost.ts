/**
 * The extension's end of a webview channel (shared/webview.ts): validates every
 * message, answers requests by id with the handler of their name, and posts
 * pushes only once the webview said `ready` (vscode-pull-request-github's
 * WebviewBase). Components never call `postMessage` themselves.
 */
import type * as vscode from 'vscode';
import {
  parseWebviewMessage,
  type ParamsOf,
  type PushesOf,
  type RequestsOf,
  type ResultOf,
  type ToWebview,
  type WebviewName,
  type WebviewPush,
} from '../shared/webview';

/** One handler per request name of webview `V`. */
export type RequestHandlers<V extends WebviewName> = {
  [M in keyof RequestsOf<V>]: (params: ParamsOf<V, M>) => Promise<ResultOf<V, M>> | ResultOf<V, M>;
};

export class WebviewHost<V extends WebviewName> implements vscode.Disposable {
  private ready = false;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly view: V,
    private readonly handlers: RequestHandlers<V>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
  }

  /**
   * Pushes an event. Before `ready` it is dropped, not queued: a webview fetches
   * everything it shows once it starts, so a queued "changed" would only fetch twice.
   */
  push<P extends keyof PushesOf<V>>(name: P, params: PushesOf<V>[P]): void {
    if (this.ready) this.post({ type: 'push', name, params } as WebviewPush<V>);
  }

  /**
   * The webview's document is gone (hidden without retainContextWhenHidden): nothing
   * posted now would arrive. It says `ready` again when it is shown and loads anew.
   */
  unload(): void {
    this.ready = false;
  }

  dispose(): void {
    this.ready = false;
    this.subscription.dispose();
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(this.view, raw);
    if (!parsed.ok) {
      this.log.warn(`${this.view} webview: message rejected: ${parsed.error}`);
      if (parsed.id !== undefined) this.post({ type: 'response', id: parsed.id, error: parsed.error });
      return;
    }
    const message = parsed.message;
    if (message.type === 'ready') {
      this.ready = true;
      return;
    }
    const handler = this.handlers[message.method] as (params: unknown) => unknown;
    try {
      const result = await handler(message.params);
      this.post({ type: 'response', id: message.id, result: result ?? null });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.log.warn(`${this.view} webview: ${String(message.method)} failed: ${text}`);
      this.post({ type: 'response', id: message.id, error: text });
    }
  }

  private post(message: ToWebview<V>): void {
    // A webview disposed meanwhile rejects; there is nobody left to tell.
    this.webview.postMessage(message).then(undefined, () => undefined);
  }
}

/**
 * The dashboard's stand-in for VS Code's webview host (dashboardPage.ts SHIM_SCRIPT), run
 * in a bare script context with the few browser objects it uses: the panel's `metrics`
 * request becomes a same-origin fetch of /api/metrics for the page's repository and range,
 * answered as the panel's channel expects; a failure is an error answer with the server's
 * message; state lives in sessionStorage; the repository selector reloads with ?repo=.
 */
import * as assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { SHIM_SCRIPT } from '../../../server/service/http/dashboardPage';

interface Host {
  api: { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };
  messages: unknown[];
  fetches: Array<{ url: string; init: { credentials?: string } }>;
  location: { search: string };
  change(value: string): void;
}

function loadShim(search: string, answer: { ok: boolean; status: number; body: unknown }): Host {
  const messages: unknown[] = [];
  const fetches: Host['fetches'] = [];
  const storage = new Map<string, string>();
  const listeners = new Map<string, () => void>();
  const select = { value: '', listeners: new Map<string, () => void>(), addEventListener(name: string, fn: () => void) { this.listeners.set(name, fn); } };
  const location = { search };
  const context: Record<string, unknown> = {
    location,
    URLSearchParams,
    MessageEvent: class { constructor(readonly type: string, init: { data: unknown }) { Object.assign(this, init); } },
    fetch: (url: string, init: { credentials?: string }) => {
      fetches.push({ url, init });
      return Promise.resolve({ ok: answer.ok, status: answer.status, json: () => Promise.resolve(answer.body) });
    },
    sessionStorage: { getItem: (key: string) => storage.get(key) ?? null, setItem: (key: string, value: string) => storage.set(key, value) },
    document: { addEventListener: (name: string, fn: () => void) => listeners.set(name, fn), getElementById: (id: string) => (id === 'diffwise-repository' ? select : null) },
  };
  context.window = context;
  context.dispatchEvent = (event: { data: unknown }) => messages.push(event.data);
  vm.runInNewContext(SHIM_SCRIPT, context);
  listeners.get('DOMContentLoaded')?.();
  const api = (context.acquireVsCodeApi as () => Host['api'])();
  return { api, messages, fetches, location, change: (value) => { select.value = value; select.listeners.get('change')?.(); } };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('service: the dashboard shim', () => {
  it('answers the panel\'s metrics request from /api/metrics, for the page\'s repository and range', async () => {
    const host = loadShim('?repo=acme%2Fapp', { ok: true, status: 200, body: { reviews: { total: 3 } } });
    host.api.postMessage({ type: 'ready' });
    host.api.postMessage({ type: 'request', id: 4, method: 'metrics', params: { since: '2026-12-01T00:00:00.000Z' } });
    await settle();
    assert.equal(host.fetches.length, 1);
    assert.equal(host.fetches[0]!.url, '/api/metrics?repo=acme%2Fapp&since=2026-12-01T00%3A00%3A00.000Z');
    assert.equal(host.fetches[0]!.init.credentials, 'same-origin');
    assert.deepEqual(JSON.parse(JSON.stringify(host.messages)), [{ type: 'response', id: 4, result: { reviews: { total: 3 } } }]);
  });

  it('a refused request is an error answer with the server\'s message; other requests say they are not here', async () => {
    const host = loadShim('', { ok: false, status: 401, body: { message: 'sign in at /' } });
    host.api.postMessage({ type: 'request', id: 1, method: 'metrics', params: {} });
    host.api.postMessage({ type: 'request', id: 2, method: 'setUpLlm', params: {} });
    await settle();
    assert.equal(host.fetches[0]!.url, '/api/metrics?');
    const byId = new Map((host.messages as Array<{ id: number; error?: string }>).map((message) => [message.id, message]));
    assert.equal(byId.get(1)!.error, 'sign in at /');
    assert.match(byId.get(2)!.error!, /not available in the team dashboard/);
  });

  it('keeps the panel\'s state in sessionStorage, and the selector reloads with ?repo=', () => {
    const host = loadShim('?repo=acme%2Fapp', { ok: true, status: 200, body: {} });
    assert.equal(host.api.getState(), null);
    host.api.setState({ range: '30d' });
    assert.deepEqual(JSON.parse(JSON.stringify(host.api.getState())), { range: '30d' });
    host.change('acme/other');
    assert.equal(host.location.search, 'repo=acme%2Fother');
    host.change('');
    assert.equal(host.location.search, '');
  });
});

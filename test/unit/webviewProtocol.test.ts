import * as assert from 'node:assert/strict';
import { parseWebviewMessage, webviewRequestNames } from '../../shared/webview';

describe('webview protocol: parseWebviewMessage', () => {
  it('accepts the ready handshake', () => {
    assert.deepEqual(parseWebviewMessage('feedback', { type: 'ready' }), { ok: true, message: { type: 'ready' } });
    assert.deepEqual(parseWebviewMessage('metrics', { type: 'ready' }), { ok: true, message: { type: 'ready' } });
  });

  it('accepts every well-formed request of each view, params as given', () => {
    const vote = { type: 'request', id: 1, method: 'vote', params: { findingId: 'abcdef0123456789', vote: 'down', reason: 'noise' } };
    assert.deepEqual(parseWebviewMessage('feedback', vote), { ok: true, message: vote });
    const open = { type: 'request', id: 2, method: 'openFinding', params: { file: 'src/a b/api.ts', line: 3 } };
    assert.deepEqual(parseWebviewMessage('feedback', open), { ok: true, message: open });
    const last = { type: 'request', id: 0, method: 'lastReview', params: {} };
    assert.deepEqual(parseWebviewMessage('feedback', last), { ok: true, message: last });
    const metrics = { type: 'request', id: 7, method: 'metrics', params: { since: '2026-11-25T00:00:00.000Z' } };
    assert.deepEqual(parseWebviewMessage('metrics', metrics), { ok: true, message: metrics });
    const all = { type: 'request', id: 8, method: 'metrics', params: {} };
    assert.deepEqual(parseWebviewMessage('metrics', all), { ok: true, message: all });
  });

  it('lists each view\'s requests', () => {
    assert.deepEqual(webviewRequestNames('feedback').sort(), ['ignore', 'lastReview', 'openFinding', 'openLink', 'restartDaemon', 'reviewWorkingTree', 'unignore', 'vote']);
    assert.deepEqual(webviewRequestNames('metrics').sort(), ['metrics', 'openLink', 'reviewWorkingTree', 'setUpLlm']);
  });

  it('takes ignore and unignore by a finding id only', () => {
    for (const method of ['ignore', 'unignore']) {
      const request = (params: unknown) => parseWebviewMessage('feedback', { type: 'request', id: 9, method, params });
      assert.equal(request({ findingId: 'abcdef0123' }).ok, true, method);
      assert.equal(request({ findingId: 'zz' }).ok, false, method);
      assert.equal(request({ findingId: 'abcdef0123', command: 'x' }).ok, false, method);
      assert.equal(request({}).ok, false, method);
    }
  });

  it('opens http(s) links only: no command:, file:, vscode: or javascript: URI', () => {
    const open = (url: unknown) => parseWebviewMessage('feedback', { type: 'request', id: 10, method: 'openLink', params: { url } });
    assert.equal(open('https://example.com/rules/x').ok, true);
    assert.equal(open('http://localhost:8080/').ok, true);
    for (const url of ['command:diffwise.clearLlmApiKey', 'file:///etc/passwd', 'vscode://diffwise.diffwise/x', 'javascript:alert(1)', 'not a url', 42]) {
      assert.equal(open(url).ok, false, String(url));
    }
    assert.equal(parseWebviewMessage('metrics', { type: 'request', id: 11, method: 'openLink', params: { url: 'https://example.com' } }).ok, true);
  });

  it('rejects what is not a message at all, without an id to answer', () => {
    for (const raw of [null, undefined, 'ready', 42, [], {}, { type: 'push', name: 'x' }, { type: 'ready', extra: 1 }]) {
      const result = parseWebviewMessage('feedback', raw);
      assert.equal(result.ok, false, JSON.stringify(raw));
      assert.ok(!result.ok && result.id === undefined, JSON.stringify(raw));
    }
  });

  it('rejects a request with a bad envelope, answering it by id when the id can be read', () => {
    const result = parseWebviewMessage('feedback', { type: 'request', id: 4, method: 'vote' });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.id, 4);
    assert.equal(parseWebviewMessage('feedback', { type: 'request', id: -1, method: 'lastReview', params: {} }).ok, false);
    assert.equal(parseWebviewMessage('feedback', { type: 'request', id: 1.5, method: 'lastReview', params: {} }).ok, false);
  });

  it('rejects a request the view does not have, even one another view has or an Object.prototype name', () => {
    for (const method of ['metrics', 'runCommand', 'constructor', 'toString', '__proto__']) {
      const result = parseWebviewMessage('feedback', { type: 'request', id: 3, method, params: {} });
      assert.deepEqual(result.ok ? undefined : [result.error.split(':')[0], result.id], ['unknown request', 3], method);
    }
    assert.equal(parseWebviewMessage('metrics', { type: 'request', id: 3, method: 'vote', params: { findingId: 'abcdef', vote: 'up' } }).ok, false);
  });

  it('rejects bad vote params: unknown vote, a non-hex or too short id, extra keys, an oversized reason', () => {
    const vote = (params: unknown) => parseWebviewMessage('feedback', { type: 'request', id: 5, method: 'vote', params });
    assert.equal(vote({ findingId: 'abcdef', vote: 'up' }).ok, true);
    assert.equal(vote({ findingId: 'abcdef', vote: 'clear' }).ok, true);
    assert.equal(vote({ findingId: 'abcdef', vote: 'sideways' }).ok, false);
    assert.equal(vote({ findingId: 'abc', vote: 'up' }).ok, false);
    assert.equal(vote({ findingId: 'not-hex!', vote: 'up' }).ok, false);
    assert.equal(vote({ findingId: 'abcdef', vote: 'up', command: 'rm -rf' }).ok, false);
    assert.equal(vote({ findingId: 'abcdef', vote: 'down', reason: 'x'.repeat(2001) }).ok, false);
    assert.equal(vote({ findingId: 'abcdef', vote: 'down', reason: 7 }).ok, false);
    const bad = vote({ findingId: 'abcdef', vote: 'sideways' });
    assert.ok(!bad.ok && /bad params for vote/.test(bad.error) && bad.id === 5);
  });

  it('rejects a file outside the repository: absolute, a drive letter, backslashes, any .. segment', () => {
    const open = (file: unknown, line: unknown = 1) => parseWebviewMessage('feedback', { type: 'request', id: 6, method: 'openFinding', params: { file, line } });
    assert.equal(open('src/api.ts').ok, true);
    assert.equal(open('src/..hidden/x.ts').ok, true, 'a name that starts with two dots is not a parent segment');
    for (const file of ['/etc/passwd', 'C:/Windows/win.ini', 'src\\..\\x', '../outside.ts', 'src/../../outside.ts', '', 3]) {
      assert.equal(open(file).ok, false, String(file));
    }
    assert.equal(open('src/api.ts', 0).ok, false, 'lines are 1-based');
    assert.equal(open('src/api.ts', 2.5).ok, false);
  });

  it('rejects a since that is not an ISO time, and params on requests that take none', () => {
    assert.equal(parseWebviewMessage('metrics', { type: 'request', id: 9, method: 'metrics', params: { since: 'yesterday' } }).ok, false);
    assert.equal(parseWebviewMessage('feedback', { type: 'request', id: 9, method: 'lastReview', params: { all: true } }).ok, false);
    assert.equal(parseWebviewMessage('feedback', { type: 'request', id: 9, method: 'lastReview', params: null }).ok, false);
  });
});

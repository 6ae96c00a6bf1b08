/**
 * The dashboard's and /metrics' token checks (auth.ts) and the HTTP side's environment
 * (serverSettings.ts): the cookie holds no token, a wrong or missing one is refused, and
 * each bad variable is one clear line.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bearerToken, isSignedIn, parseCookies, sameSecret, sessionCookie, sessionValue, SESSION_COOKIE } from '../../../server/service/http/auth';
import { serverSettingsFrom } from '../../../server/service/http/serverSettings';

describe('service: dashboard auth', () => {
  const token = 'correct-horse-battery-staple';

  it('the session cookie holds an HMAC of the token, not the token', () => {
    const cookie = sessionCookie(token, false);
    assert.ok(!cookie.includes(token));
    assert.match(cookie, /^diffwise_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\/$/);
    assert.match(sessionCookie(token, true), /; Secure$/);
    assert.notEqual(sessionValue(token), sessionValue(`${token}x`));
  });

  it('signed in by Bearer or by the cookie; anything else is refused', () => {
    assert.equal(isSignedIn({ authorization: `Bearer ${token}` }, token), true);
    assert.equal(isSignedIn({ authorization: 'Bearer wrong' }, token), false);
    assert.equal(isSignedIn({ cookie: `a=b; ${SESSION_COOKIE}=${sessionValue(token)}` }, token), true);
    assert.equal(isSignedIn({ cookie: `${SESSION_COOKIE}=${token}` }, token), false);
    assert.equal(isSignedIn({}, token), false);
    // A wrong Bearer is not rescued by a good cookie: the header says who is asking.
    assert.equal(isSignedIn({ authorization: 'Bearer wrong', cookie: `${SESSION_COOKIE}=${sessionValue(token)}` }, token), false);
  });

  it('parses headers strictly', () => {
    assert.equal(bearerToken('bearer abc'), 'abc');
    assert.equal(bearerToken('Basic abc'), undefined);
    assert.equal(bearerToken(undefined), undefined);
    assert.deepEqual([...parseCookies('x=1; y=%41; x=2; bad; z=%E0')], [['x', '1'], ['y', 'A']]);
    assert.equal(sameSecret('a', 'a'), true);
    assert.equal(sameSecret('a', 'ab'), false);
  });
});

describe('service: server settings', () => {
  it('defaults: 600 a minute, no proxy, http, no metrics token, no budget', () => {
    assert.deepEqual(serverSettingsFrom({}), { webhookRateLimit: 600, trustProxy: false, tls: undefined, metricsToken: undefined, monthlyBudgetUsd: null });
  });

  it('reads each variable, and says what is wrong with a bad one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-settings-'));
    fs.writeFileSync(path.join(dir, 'cert.pem'), 'CERT');
    fs.writeFileSync(path.join(dir, 'key.pem'), 'KEY');
    const settings = serverSettingsFrom({
      DIFFWISE_WEBHOOK_RATE_LIMIT: '30', DIFFWISE_TRUST_PROXY: '1', DIFFWISE_TLS_CERT_FILE: path.join(dir, 'cert.pem'), DIFFWISE_TLS_KEY_FILE: path.join(dir, 'key.pem'),
      DIFFWISE_METRICS_TOKEN: 'm', DIFFWISE_LLM_MONTHLY_BUDGET_USD: '25',
    });
    assert.equal(settings.webhookRateLimit, 30);
    assert.equal(settings.trustProxy, 'loopback,linklocal,uniquelocal');
    assert.equal(serverSettingsFrom({ DIFFWISE_TRUST_PROXY: 'true' }).trustProxy, 'loopback,linklocal,uniquelocal');
    assert.equal(serverSettingsFrom({ DIFFWISE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, '10.0.0.0/8,127.0.0.1');
    assert.throws(() => serverSettingsFrom({ DIFFWISE_TRUST_PROXY: 'everyone' }), /DIFFWISE_TRUST_PROXY takes true .* or the proxies' addresses/);
    assert.equal(settings.tls?.cert.toString(), 'CERT');
    assert.equal(settings.metricsToken, 'm');
    assert.equal(settings.monthlyBudgetUsd, 25);
    assert.equal(serverSettingsFrom({ DIFFWISE_TRUST_PROXY: 'false' }).trustProxy, false);
    assert.throws(() => serverSettingsFrom({ DIFFWISE_WEBHOOK_RATE_LIMIT: 'lots' }), /DIFFWISE_WEBHOOK_RATE_LIMIT takes a whole number/);
    assert.throws(() => serverSettingsFrom({ DIFFWISE_TLS_CERT_FILE: 'x' }), /DIFFWISE_TLS_KEY_FILE.*https needs both/);
    assert.throws(() => serverSettingsFrom({ DIFFWISE_TLS_CERT_FILE: path.join(dir, 'none'), DIFFWISE_TLS_KEY_FILE: path.join(dir, 'key.pem') }), /cannot read DIFFWISE_TLS_CERT_FILE .*ENOENT/);
    assert.throws(() => serverSettingsFrom({ DIFFWISE_LLM_MONTHLY_BUDGET_USD: '-1' }), /DIFFWISE_LLM_MONTHLY_BUDGET_USD/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

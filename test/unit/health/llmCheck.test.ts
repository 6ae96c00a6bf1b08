import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { llmChecks, priceCheck } from '../../../server/health/llmCheck';
import { loadLlmConfig } from '../../../server/llm/config';
import { startFakeOpenAi, type FakeOpenAi } from '../../helpers/fakeOpenAi';
import { cleanupRepos, makeTempDir } from '../../helpers/gitRepo';

describe('health: the LLM endpoint', () => {
  let fake: FakeOpenAi;
  let repoRoot: string;
  beforeEach(async () => {
    fake = await startFakeOpenAi();
    repoRoot = makeTempDir();
  });
  afterEach(() => fake.close());
  after(cleanupRepos);

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ DIFFWISE_LLM_BASE_URL: fake.baseUrl, DIFFWISE_LLM_API_KEY: 'sk-good', ...extra });

  it('none configured is ok: off, and asks nothing of the network', async () => {
    const checks = await llmChecks({ env: {}, repoRoot, timeoutMs: 2000 });
    assert.deepEqual(checks.map((check) => [check.id, check.status, check.detail]), [['llm', 'ok', 'off (no key or endpoint configured)']]);
    assert.equal(fake.modelRequests.length, 0);
  });

  it('switched off (DIFFWISE_LLM=off, the editor\'s setting) or in an untrusted workspace: off, without a request', async () => {
    for (const [extra, enabled, detail] of [[{ DIFFWISE_LLM: 'off' }, undefined, 'off (switched off)'], [{}, false, 'off (switched off)'], [{ DIFFWISE_LLM: 'untrusted' }, undefined, 'off (the workspace is not trusted)']] as const) {
      const checks = await llmChecks({ env: env(extra), repoRoot, enabled, timeoutMs: 2000 });
      assert.deepEqual(checks.map((check) => [check.status, check.detail]), [['ok', detail]]);
    }
    assert.equal(fake.modelRequests.length, 0);
  });

  it('reachable, the key accepted and the model served: ok, the key sent as a bearer token', async () => {
    fake.acceptedKey = 'sk-good';
    const [endpoint, price] = await llmChecks({ env: env(), repoRoot, timeoutMs: 2000 });
    assert.equal(endpoint.status, 'ok', endpoint.detail);
    assert.match(endpoint.detail, /serves gpt-4o-mini, key accepted/);
    assert.equal(fake.modelRequests[0].headers.authorization, 'Bearer sk-good');
    // 127.0.0.1 is a local endpoint: free, nothing to price.
    assert.deepEqual([price.id, price.status], ['llm-price', 'ok']);
  });

  it('a refused key is an error "key refused" with the fix to set one', async () => {
    fake.acceptedKey = 'sk-good';
    const [endpoint] = await llmChecks({ env: env({ DIFFWISE_LLM_API_KEY: 'sk-bad' }), repoRoot, timeoutMs: 2000 });
    assert.equal(endpoint.status, 'error');
    assert.match(endpoint.detail, /key refused \(HTTP 401\)/);
    assert.match(endpoint.fix!, /DIFFWISE_LLM_API_KEY/);
  });

  it('a model the endpoint does not serve is an error naming what it serves', async () => {
    fake.models = ['llama3.1', 'qwen2.5-coder'];
    const [endpoint] = await llmChecks({ env: env({ DIFFWISE_LLM_MODEL: 'gpt-4o' }), repoRoot, timeoutMs: 2000 });
    assert.equal(endpoint.status, 'error');
    assert.match(endpoint.detail, /does not serve gpt-4o \(it serves llama3\.1, qwen2\.5-coder\)/);
    assert.match(endpoint.fix!, /DIFFWISE_LLM_MODEL/);
  });

  it('an endpoint that is down, or does not answer in time, is an error', async () => {
    const url = fake.baseUrl;
    await fake.close();
    const [down] = await llmChecks({ env: { DIFFWISE_LLM_BASE_URL: url }, repoRoot, timeoutMs: 2000 });
    assert.equal(down.status, 'error');
    assert.match(down.detail, /unreachable: ECONNREFUSED/);

    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const [hung] = await llmChecks({ env: { DIFFWISE_LLM_BASE_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1` }, repoRoot, timeoutMs: 300 });
      assert.match(hung.detail, /no answer in 300 ms/);
      assert.ok(Date.now() - started < 2000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
    fake = await startFakeOpenAi();
  });

  it('price: known for a priced model; a remote model without a price is a warning that its cost is not tracked', () => {
    const remote = (model: string) => loadLlmConfig({ DIFFWISE_LLM_BASE_URL: 'https://llm.example.com/v1', DIFFWISE_LLM_API_KEY: 'k', DIFFWISE_LLM_MODEL: model }, repoRoot)!;
    assert.equal(priceCheck(remote('gpt-4o-mini')).status, 'ok');
    const unknown = priceCheck(remote('house-model-7b'));
    assert.equal(unknown.status, 'warning');
    assert.match(unknown.detail, /cost is not tracked/);
    assert.match(unknown.fix!, /llm\.prices\["house-model-7b"\]/);
  });
});

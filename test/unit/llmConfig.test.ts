import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { DEFAULT_MODEL, loadLlmConfig } from '../../server/llm/config';
import { DEFAULT_PRICES, costUsd, effectivePrices, isLocalBaseUrl, priceFor } from '../../server/llm/prices';

const KEY = 'sk-unit-SECRET-abcdef0123456789';

describe('LLM config', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-llmconfig-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  function writeConfig(content: unknown): string {
    const file = path.join(root, '.diffwise', 'config.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }

  it('is null when neither a key nor a base URL is configured', () => {
    assert.equal(loadLlmConfig({}, root), null);
    assert.equal(loadLlmConfig({ DIFFWISE_LLM_API_KEY: '  ', DIFFWISE_LLM_MODEL: 'gpt-4o' }, root), null);
    writeConfig({ llm: { model: 'gpt-4.1', monthlyBudgetUsd: 10 } });
    assert.equal(loadLlmConfig({}, root), null);
  });

  it('takes the key from DIFFWISE_LLM_API_KEY, else OPENAI_API_KEY, with defaults for the rest', () => {
    const config = loadLlmConfig({ OPENAI_API_KEY: 'sk-openai' }, root)!;
    assert.equal(config.apiKey, 'sk-openai');
    assert.equal(config.model, DEFAULT_MODEL);
    assert.equal(config.baseUrl, undefined);
    assert.equal(config.maxConcurrency, 4);
    assert.equal(config.timeoutMs, 60_000);
    assert.deepEqual(config.excludePaths, []);
    assert.equal(config.monthlyBudgetUsd, undefined);
    assert.equal(config.configFile, null);
    assert.deepEqual(config.prices, DEFAULT_PRICES);

    assert.equal(loadLlmConfig({ OPENAI_API_KEY: 'sk-openai', DIFFWISE_LLM_API_KEY: KEY }, root)!.apiKey, KEY);
  });

  it('reads the key from DIFFWISE_LLM_API_KEY_FILE (a mounted secret), and says which file it cannot read', () => {
    const keyFile = path.join(root, 'llm-key');
    fs.writeFileSync(keyFile, `${KEY}\n`);
    assert.equal(loadLlmConfig({ DIFFWISE_LLM_API_KEY_FILE: keyFile, OPENAI_API_KEY: 'sk-openai' }, root)!.apiKey, KEY);
    assert.equal(loadLlmConfig({ DIFFWISE_LLM_API_KEY: 'sk-direct', DIFFWISE_LLM_API_KEY_FILE: keyFile }, root)!.apiKey, 'sk-direct');
    assert.throws(() => loadLlmConfig({ DIFFWISE_LLM_API_KEY_FILE: path.join(root, 'absent') }, root), /cannot read DIFFWISE_LLM_API_KEY_FILE .*absent: ENOENT/);
  });

  it('is on with only a base URL (a local server needs no key), where models are free', () => {
    const config = loadLlmConfig({ DIFFWISE_LLM_BASE_URL: 'http://localhost:11434/v1', DIFFWISE_LLM_MODEL: 'llama3.1' }, root)!;
    assert.equal(config.apiKey, undefined);
    assert.equal(config.baseUrl, 'http://localhost:11434/v1');
    assert.equal(config.model, 'llama3.1');
    assert.deepEqual(config.prices, {});
    assert.equal(costUsd('gpt-4o', { prompt: 1e6, completion: 1e6 }, config.prices), 0);
  });

  it('reads the shared file, and the environment wins for base URL, key and model', () => {
    const file = writeConfig({
      other: { kept: true },
      llm: {
        model: 'gpt-4.1',
        baseUrl: 'https://llm.example.com/v1',
        monthlyBudgetUsd: 25,
        maxConcurrency: 2,
        timeoutMs: 30_000,
        excludePaths: ['**/*.min.js', 'vendor/**'],
        prices: { 'gpt-4.1': { inputPerMTok: 1, outputPerMTok: 2 }, 'team-model': { inputPerMTok: 3, outputPerMTok: 4 } },
      },
    });
    // A remote endpoint named only by the checked-in file never gets the user's key unasked.
    assert.throws(() => loadLlmConfig({ DIFFWISE_LLM_API_KEY: KEY }, root), /points llm\.baseUrl at https:\/\/llm\.example\.com\/v1, which would receive your API key/);
    const fromFile = loadLlmConfig({ DIFFWISE_LLM_API_KEY: KEY, DIFFWISE_LLM_BASE_URL: 'https://llm.example.com/v1' }, root)!;
    assert.equal(fromFile.configFile, file);
    assert.equal(fromFile.model, 'gpt-4.1');
    assert.equal(fromFile.baseUrl, 'https://llm.example.com/v1');
    assert.equal(fromFile.monthlyBudgetUsd, 25);
    assert.equal(fromFile.maxConcurrency, 2);
    assert.equal(fromFile.timeoutMs, 30_000);
    assert.deepEqual(fromFile.excludePaths, ['**/*.min.js', 'vendor/**']);
    assert.deepEqual(fromFile.prices['gpt-4.1'], { inputPerMTok: 1, outputPerMTok: 2 });
    assert.deepEqual(fromFile.prices['team-model'], { inputPerMTok: 3, outputPerMTok: 4 });
    assert.deepEqual(fromFile.prices['gpt-4o'], DEFAULT_PRICES['gpt-4o']);

    const fromEnv = loadLlmConfig({ DIFFWISE_LLM_API_KEY: KEY, DIFFWISE_LLM_BASE_URL: 'https://proxy.internal/v1', DIFFWISE_LLM_MODEL: 'o4-mini' }, root)!;
    assert.equal(fromEnv.baseUrl, 'https://proxy.internal/v1');
    assert.equal(fromEnv.model, 'o4-mini');
    assert.equal(fromEnv.maxConcurrency, 2, 'what the env does not set still comes from the file');

    // The file's base URL alone turns the LLM on.
    assert.equal(loadLlmConfig({}, root)!.baseUrl, 'https://llm.example.com/v1');
  });

  it('names the file and the field when the file is invalid', () => {
    const file = writeConfig({ llm: { maxConcurrency: 0 } });
    assert.throws(() => loadLlmConfig({ DIFFWISE_LLM_API_KEY: KEY }, root), (error: Error) => {
      assert.ok(error.message.startsWith(`Invalid ${file}: llm.maxConcurrency:`), error.message);
      return true;
    });
    writeConfig({ llm: { prices: { 'gpt-4o': { inputPerMTok: '2.5', outputPerMTok: 10 } } } });
    assert.throws(() => loadLlmConfig({ DIFFWISE_LLM_API_KEY: KEY }, root), /llm\.prices\.gpt-4o\.inputPerMTok/);
    writeConfig({ llm: { excludePaths: 'dist/**' } });
    assert.throws(() => loadLlmConfig({ DIFFWISE_LLM_API_KEY: KEY }, root), /llm\.excludePaths/);
    writeConfig({ llm: { baseUrl: 'ftp://example.com' } });
    assert.throws(() => loadLlmConfig({ DIFFWISE_LLM_API_KEY: KEY }, root), /llm\.baseUrl/);
    writeConfig({ llm: [] });
    assert.throws(() => loadLlmConfig({ DIFFWISE_LLM_API_KEY: KEY }, root), /: llm:/);
  });

  it('rejects unknown llm fields, such as a key pasted into the shared file, without echoing it', () => {
    writeConfig({ llm: { apiKey: KEY } });
    assert.throws(() => loadLlmConfig({}, root), (error: Error) => {
      assert.match(error.message, /llm.*apiKey/);
      assert.ok(!error.message.includes(KEY), error.message);
      return true;
    });
  });

  it('reports invalid JSON with the file name and position, without quoting the text', () => {
    const file = writeConfig(`{\n  "llm": { "model": "${KEY}" \n}`);
    assert.throws(() => loadLlmConfig({ DIFFWISE_LLM_API_KEY: KEY }, root), (error: Error) => {
      assert.ok(error.message.startsWith(`Invalid JSON in ${file}`), error.message);
      assert.ok(!error.message.includes(KEY), error.message);
      assert.ok(error.cause === undefined);
      return true;
    });
    writeConfig('{ "llm": }');
    assert.throws(() => loadLlmConfig({}, root), (error: Error) => !error.message.includes('"llm"') && /Invalid JSON in/.test(error.message));
  });

  it('rejects a base URL in the environment that is not http(s), without echoing it', () => {
    assert.throws(() => loadLlmConfig({ DIFFWISE_LLM_BASE_URL: `not a url ${KEY}` }, root), (error: Error) => !error.message.includes(KEY) && /DIFFWISE_LLM_BASE_URL/.test(error.message));
    assert.throws(() => loadLlmConfig({ DIFFWISE_LLM_BASE_URL: 'file:///etc/passwd' }, root), /http or https/);
  });

  it('never serialises or prints the key', () => {
    const config = loadLlmConfig({ DIFFWISE_LLM_API_KEY: KEY }, root)!;
    assert.equal(config.apiKey, KEY);
    assert.ok(!JSON.stringify(config).includes(KEY));
    assert.ok(!util.inspect(config).includes(KEY));
    assert.ok(!JSON.stringify({ ...config }).includes(KEY));
    assert.ok(!Object.keys(config).includes('apiKey'));
    assert.throws(() => {
      (config as { apiKey: string | undefined }).apiKey = 'other';
    }, TypeError);
  });
});

describe('LLM prices', () => {
  it('prices known models, dated snapshots by their family, and unknown models at 0', () => {
    assert.equal(costUsd('gpt-4o', { prompt: 1_000_000, completion: 1_000_000 }, DEFAULT_PRICES), 12.5);
    assert.deepEqual(priceFor('gpt-4o-mini-2024-07-18', DEFAULT_PRICES), DEFAULT_PRICES['gpt-4o-mini']);
    assert.deepEqual(priceFor('gpt-4o-2024-08-06', DEFAULT_PRICES), DEFAULT_PRICES['gpt-4o']);
    assert.equal(priceFor('llama3.1:8b', DEFAULT_PRICES), undefined);
    assert.equal(costUsd('llama3.1:8b', { prompt: 1000, completion: 1000 }, DEFAULT_PRICES), 0);
  });

  it('treats loopback endpoints as free unless the config prices the model', () => {
    for (const url of ['http://localhost:11434/v1', 'http://127.0.0.1:8080/v1', 'http://[::1]:11434/v1']) assert.ok(isLocalBaseUrl(url), url);
    for (const url of [undefined, 'https://api.openai.com/v1', 'http://10.0.0.5/v1', 'not a url']) assert.ok(!isLocalBaseUrl(url), String(url));
    const prices = effectivePrices('http://localhost:4000/v1', { 'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 } });
    assert.equal(costUsd('gpt-4o', { prompt: 1e6, completion: 0 }, prices), 2.5);
    assert.equal(costUsd('gpt-4.1', { prompt: 1e6, completion: 0 }, prices), 0);
  });
});

/**
 * Redaction before the LLM, end to end: a real repository whose change adds one
 * credential of every kind the secret corpus knows, reviewed by the built CLI
 * against a fake OpenAI-compatible server on 127.0.0.1. No request body may hold
 * any of them, and the run must count what it redacted.
 */
import * as assert from 'node:assert/strict';
import type { ReviewDocument } from '../../shared/review';
import { runCliJsonAsync } from '../helpers/cli';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fakeOpenAi';
import { cleanupRepos, commitAll, git, makeRepo, write } from '../helpers/gitRepo';
import { SECRETS } from '../unit/rules/secretCorpus';

type SecretName = keyof typeof SECRETS;

/** Multi-line keys go into template literals; their base64 lines are what must not leak. */
const MULTI_LINE: SecretName[] = ['rsaKey', 'ecKey', 'dsaKey', 'pkcs8Key', 'encryptedPkcs8Key', 'legacyEncryptedKey', 'opensshKey', 'pgpKey'];

/** How each secret sits in the changed code, when a bare string literal is not how it would be written. */
const IN_CONTEXT: Partial<Record<SecretName, (value: string) => string>> = {
  awsSecret: (v) => `export const awsConfig = { aws_secret_access_key: '${v}' };`,
  azureStorageKey: (v) => `export const storage = 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${v};EndpointSuffix=core.windows.net';`,
  azureSasSig: (v) => `export const sasUrl = 'https://acme.blob.core.windows.net/c/a.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-31T23:59:59Z&spr=https&sig=${v}';`,
  gcpPrivateKeyBody: (v) => `export const serviceAccount = { type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n${v}\\n-----END PRIVATE KEY-----\\n' };`,
  twilioAuthToken: (v) => `export const twilioAuthToken = '${v}';`,
  mailgunKey: (v) => `export const mailgunApiKey = '${v}';`,
  mailgunSigning: (v) => `export const mailgunSigningKey = '${v}';`,
  herokuUuid: (v) => `export const herokuApiKey = '${v}';`,
  atlassianLegacy: (v) => `export const jiraApiToken = '${v}';`,
  npmrcUuid: (v) => `export const npmrc = '//registry.npmjs.org/:_authToken=${v}';`,
  postgresPassword: (v) => `export const databaseUrl = 'postgres://app:${v}@db.internal:5432/app';`,
  redisPassword: (v) => `export const cacheUrl = 'redis://:${v}@cache.internal:6379/0';`,
  genericApiKey: (v) => `export const apiKey = '${v}';`,
  genericSecret: (v) => `export const clientSecret = '${v}';`,
  k8sPassword: (v) => `export const dbPassword = '${v}';`,
};

/** The parts of each secret that must never reach the server. */
function mustNotLeak(name: SecretName): string[] {
  const value = SECRETS[name];
  if (MULTI_LINE.includes(name)) return value.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----') && !/^[\w-]+: /.test(line));
  if (name === 'discordWebhook') return [value.slice(value.lastIndexOf('/') + 1)];
  return [value];
}

function line(name: SecretName): string {
  const value = SECRETS[name];
  if (MULTI_LINE.includes(name)) return `export const ${name} = \`${value}\`;`;
  return IN_CONTEXT[name]?.(value) ?? `export const ${name} = '${value}';`;
}

/** main: an empty config module. feature: one module per ten secrets, so that every hunk is sent whole. */
function repoWithSecrets(): string {
  const repo = makeRepo();
  write(repo, 'src/config/index.ts', 'export const ready = true;\n');
  commitAll(repo, 'initial');
  git(repo, 'checkout', '-q', '-b', 'feature');
  const names = Object.keys(SECRETS) as SecretName[];
  for (let i = 0; i < names.length; i += 10) {
    write(repo, `src/config/part${i / 10}.ts`, names.slice(i, i + 10).map(line).join('\n\n') + '\n');
  }
  commitAll(repo, 'add credentials');
  return repo;
}

describe('LLM prompts are redacted (built CLI, fake OpenAI-compatible server)', function () {
  this.timeout(60_000);
  let fake: FakeOpenAi;

  before(async () => {
    fake = await startFakeOpenAi();
    fake.setDefault({ kind: 'success', content: JSON.stringify({ findings: [] }) });
  });
  after(async () => {
    await fake.close();
    cleanupRepos();
  });

  it('sends none of the secrets of any kind, and counts every redaction', async () => {
    const repo = repoWithSecrets();
    const { json: document, stderr } = await runCliJsonAsync<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json'], {
      DIFFWISE_LLM_BASE_URL: fake.baseUrl,
      DIFFWISE_LLM_API_KEY: 'sk-redaction-test-0123456789',
      DIFFWISE_LLM_MODEL: 'review-model',
    });
    const names = Object.keys(SECRETS) as SecretName[];
    assert.equal(document.run.status, 'ok', stderr);
    // Each module is one hunk, asked once; small ones may share a prompt, each hunk redacted on its own.
    const modules = Math.ceil(names.length / 10);
    const asked = fake.requests.flatMap((request) => [...String(request.body.messages[1].content).matchAll(/^# File: (\S+) \(/gm)].map((match) => match[1]));
    assert.deepEqual(asked.sort(), Array.from({ length: modules }, (_, i) => `src/config/part${i}.ts`).sort(), 'every module asked about once');
    assert.ok(fake.requests.length <= modules);

    const bodies = fake.requests.map((request) => JSON.stringify(request.body));
    const leaked = names.filter((name) => mustNotLeak(name).some((part) => bodies.some((body) => body.includes(part) || body.includes(JSON.stringify(part).slice(1, -1)))));
    assert.deepEqual(leaked, [], `sent to the LLM in clear: ${leaked.join(', ')}`);
    assert.ok(bodies.every((body) => body.includes('[REDACTED]')));

    assert.ok(document.run.llm, 'the run has an LLM summary');
    assert.ok(document.run.llm.redactions >= names.length, `${document.run.llm.redactions} redactions for ${names.length} secrets`);
    // The static rule saw them too, on the same code.
    assert.ok(document.findings.filter((finding) => finding.ruleId === 'secret').length >= names.length);
  });
});

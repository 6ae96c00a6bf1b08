import * as assert from 'node:assert/strict';
import { assignIds } from '../../../server/review/findingIds';
import { redactSecrets, secretRule } from '../../../server/review/rules/secret';
import type { RuleFinding } from '../../../server/review/rule';
import { changedFile, runRule } from '../../helpers/changedFile';
import { privateKeyDetections } from '../../../server/review/secrets/privateKeys';
import { providerDetections } from '../../../server/review/secrets/providers';

// Every credential below is generated at run time: written as literals, they
// would make this very test file a finding when Diffwise reviews its own repository.

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A deterministic, random-looking string (mulberry32), so failures reproduce. */
function randomish(length: number, seed: number, alphabet = ALNUM): string {
  let state = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out += alphabet[((t ^ (t >>> 14)) >>> 0) % alphabet.length];
  }
  return out;
}

const githubToken = 'ghp' + '_' + randomish(36, 1);
const awsKeyId = 'AK' + 'IA' + randomish(16, 2, UPPER_DIGITS);
const awsSecret = randomish(40, 3);
const slackToken = ['xo' + 'xb', '2' + randomish(11, 4, '0123456789'), '1' + randomish(12, 5, '0123456789'), randomish(24, 6)].join('-');
const apiKey = randomish(32, 7);
const envSecret = randomish(28, 8);
const dbPassword = 'Pg' + randomish(18, 9);
const pemKey = [
  '-----BEGIN ' + 'RSA PRIVATE KEY-----',
  // A real key's base64 starts with `MI` (an ASN.1 sequence); secretlint checks for it.
  'MI' + 'IEpAIBAAKCAQEA' + randomish(48, 20, ALNUM + '+/'),
  ...Array.from({ length: 3 }, (_, i) => randomish(64, 21 + i, ALNUM + '+/')),
  '-----END ' + 'RSA PRIVATE KEY-----',
].join('\n');

/** Asserts that no finding carries `secret` in its message or fingerprint. */
function assertNoLeak(findings: RuleFinding[], ...secrets: string[]): void {
  for (const finding of findings) {
    for (const secret of secrets) {
      assert.ok(!finding.message.includes(secret), `message leaks the secret: ${finding.message}`);
      assert.ok(!finding.fingerprint.includes(secret), 'fingerprint leaks the secret');
    }
  }
}

describe('secret rule', () => {
  describe('finds', () => {
    it('a GitHub token, redacted in the message', async () => {
      const findings = await runRule(secretRule, changedFile('src/client.ts', `const a = 1;\nconst gh = "${githubToken}";\n`));
      assert.equal(findings.length, 1);
      const [finding] = findings;
      assert.equal(finding.ruleId, 'secret');
      assert.equal(finding.severity, 'error');
      assert.equal(finding.file, 'src/client.ts');
      assert.equal(finding.line, 2);
      assert.match(finding.message, /GitHub token/);
      assert.ok(finding.message.includes(`ghp_…${githubToken.slice(-4)}`), finding.message);
      assert.match(finding.fingerprint, /^sha256:[0-9a-f]{64}$/);
      assertNoLeak(findings, githubToken, githubToken.slice(4, 30));
    });

    it('an AWS access key id and secret access key', async () => {
      const text = `[default]\naws_access_key_id = ${awsKeyId}\naws_secret_access_key = ${awsSecret}\n`;
      const findings = await runRule(secretRule, changedFile('deploy/credentials', text));
      assert.deepEqual(findings.map((f) => f.line), [2, 3]);
      assert.match(findings[0].message, /AWS access key ID/);
      assert.match(findings[1].message, /AWS secret access key/);
      assertNoLeak(findings, awsKeyId, awsSecret);
    });

    it('a Slack token', async () => {
      const findings = await runRule(secretRule, changedFile('bot/config.js', `module.exports = { slack: '${slackToken}' };\n`));
      assert.equal(findings.length, 1);
      assert.match(findings[0].message, /Slack token/);
      assertNoLeak(findings, slackToken);
    });

    it('a PEM private key block, as one finding over its lines, with nothing of it shown', async () => {
      const findings = await runRule(secretRule, changedFile('certs/server.key', `${pemKey}\n`));
      assert.equal(findings.length, 1);
      assert.equal(findings[0].line, 1);
      assert.equal(findings[0].endLine, 6);
      assert.match(findings[0].message, /private key/i);
      assert.ok(!findings[0].message.includes('`'), 'a multi-line secret gets no redacted snippet');
      assertNoLeak(findings, pemKey, pemKey.split('\n')[2]);
    });

    it('a private key whose body alone was replaced', async () => {
      const findings = await runRule(secretRule, changedFile('certs/server.key', `${pemKey}\n`, [3, 4]));
      assert.equal(findings.length, 1);
    });

    it('the password of a postgres URL, once even though two detectors see it', async () => {
      const text = `database:\n  url: postgres://app:${dbPassword}@db.internal:5432/app\n`;
      const findings = await runRule(secretRule, changedFile('config/prod.yml', text));
      assert.equal(findings.length, 1);
      assert.equal(findings[0].line, 2);
      assert.match(findings[0].message, /PostgreSQL/);
      assertNoLeak(findings, dbPassword);
    });

    it('the password of a URL of any scheme, without a snippet when it is short', async () => {
      const password = randomish(9, 10);
      const findings = await runRule(secretRule, changedFile('src/cache.ts', `const url = 'redis://:${password}@cache.internal:6379/0';\n`));
      assert.equal(findings.length, 1);
      assert.match(findings[0].message, /redis:\/\//);
      assert.ok(!findings[0].message.includes(password.slice(0, 3)), 'secrets under 12 characters are not shown at all');
    });

    it('a high-entropy literal assigned to apiKey, with or without a type annotation', async () => {
      const text = `export const apiKey = "${apiKey}";\nconst other: { clientSecret: string } = { clientSecret: '${envSecret}' };\n`;
      const findings = await runRule(secretRule, changedFile('src/api.ts', text));
      assert.deepEqual(findings.map((f) => f.line), [1, 2]);
      assert.match(findings[0].message, /`apiKey`/);
      assert.ok(findings[0].message.includes(`${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`));
      assertNoLeak(findings, apiKey, envSecret);
    });

    it('.env, JSON and YAML assignments', async () => {
      const findings = await runRule(
        secretRule,
        changedFile('.env', `NODE_ENV=production\nSTRIPE_API_KEY=${envSecret}\n`),
        changedFile('config.json', `{\n  "client_secret": "${apiKey}"\n}\n`),
        changedFile('values.yaml', `db:\n  password: ${dbPassword}\n`),
      );
      assert.deepEqual(findings.map((f) => `${f.file}:${f.line}`), ['.env:2', 'config.json:2', 'values.yaml:2']);
      assertNoLeak(findings, envSecret, apiKey, dbPassword);
    });

    it('the token of an Authorization header', async () => {
      const findings = await runRule(secretRule, changedFile('src/http.ts', `const headers = { Authorization: 'Bearer ${apiKey}' };\n`));
      assert.equal(findings.length, 1);
    });

    it('the same secret twice, with distinct ids and fingerprints that do not depend on the line', async () => {
      const line = `const token = "${githubToken}";`;
      const [twice, moved] = await Promise.all([
        runRule(secretRule, changedFile('a.ts', `${line}\n${line}\n`)),
        runRule(secretRule, changedFile('a.ts', `\n\n${line}\n`)),
      ]);
      assert.equal(twice.length, 2);
      const ids = assignIds(twice).map((finding) => finding.id);
      assert.notEqual(ids[0], ids[1]);
      assert.equal(moved[0].fingerprint, twice[0].fingerprint);
      assert.equal(assignIds(moved)[0].id, ids[0]);
    });
  });

  describe('does not report', () => {
    it('secrets on lines the change does not add', async () => {
      const text = `const gh = "${githubToken}";\nconst apiKey = "${apiKey}";\nconst next = 1;\n`;
      assert.deepEqual(await runRule(secretRule, changedFile('src/a.ts', text, [3])), []);
    });

    it('deleted files and files without text', async () => {
      const file = changedFile('src/a.ts', `const gh = "${githubToken}";\n`);
      assert.deepEqual(await runRule(secretRule, { ...file, newText: null }), []);
    });

    it('placeholders and environment lookups', async () => {
      const text = [
        'const apiKey = "<your-api-key-goes-here>";',
        'const token = `${process.env.GITHUB_TOKEN}`;',
        'const secret = process.env.CLIENT_SECRET_VALUE_1;',
        'const password = "changeme-changeme-1234";',
        "const authToken = 'xxxxxxxxxxxxxxxxxxxxxxxx';",
        'const apiSecret = "example-secret-value-2024";',
        'const accessKey = "dummy-access-key-0123456789";',
        "const privateKey = 'test-private-key-a1b2c3d4e5';",
        'const tokenValue = "{api_token}";',
      ].join('\n');
      const env = 'API_TOKEN=${VAULT_API_TOKEN}\nDB_PASSWORD=$DB_PASSWORD_FROM_VAULT_1\n';
      const urls = [
        'a: postgres://app:${PASSWORD}@db/app',
        'b: postgres://app:password@db/app',
        'c: postgres://postgres:postgres@localhost/app',
        `d: https://abc:${randomish(14, 12)}@example.com/`,
      ].join('\n');
      const findings = await runRule(
        secretRule,
        changedFile('src/config.ts', text),
        changedFile('.env.example', env),
        changedFile('compose.yml', urls),
      );
      assert.deepEqual(findings, []);
    });

    it('integrity hashes in lockfiles, which would be reported anywhere else', async () => {
      const integrity = `sha512-${randomish(86, 11, ALNUM + '+/')}==`;
      const lock = `{\n  "packages": {\n    "node_modules/a": {\n      "integrity": "${integrity}",\n      "token": "${apiKey}"\n    }\n  }\n}\n`;
      const findings = await runRule(
        secretRule,
        changedFile('package-lock.json', lock),
        changedFile('web/yarn.lock', `a@1:\n  integrity ${integrity}\n  token "${apiKey}"\n`),
        changedFile('pnpm-lock.yaml', `packages:\n  a@1:\n    resolution: {integrity: ${integrity}}\n    token: ${apiKey}\n`),
      );
      assert.deepEqual(findings, []);
      assert.equal((await runRule(secretRule, changedFile('packages.json', lock))).length, 1);
    });

    it('short or low-entropy values, and names that only talk about secrets', async () => {
      const text = [
        'const password = "hunter2";',
        'const token = "abc";',
        'const passwordLabel = "Enter your password please";',
        'const tokenUrl = "https://login.example.org/oauth2/v2.0/token";',
        'const secretName = "prod-database-credentials-v2";',
        'const TOKEN_STORAGE_KEY = "diffwise.githubAccessToken";',
        'const apiKey = config.apiKeyFromSettings;',
        'const authorHandle = "a8f3k2m9q7z1x5c4v6b0";',
        'if (token === "not-a-secret-but-long-123") return;',
      ].join('\n');
      assert.deepEqual(await runRule(secretRule, changedFile('src/settings.ts', text)), []);
    });
  });

  describe('stays linear', () => {
    // Each filler repeats the start of some rule's pattern without ever completing it:
    // a pattern that backtracks would take seconds on these 100 KB, a linear one milliseconds.
    it('on adversarial lines for every provider rule', () => {
      for (const filler of ['a', '0', 'A', '-', '_', '.', '/', '+', '=', 'eyJ', 'aA0.', 'heroku=', 'mailgun: ', 'sig=', 'key=', 'Q~', '1:A', 'M', 'glpat-', 'SG.', 'hvs.']) {
        const line = filler.repeat(Math.floor(4000 / filler.length)) + '!';
        const started = performance.now();
        providerDetections(Array.from({ length: 25 }, () => line).join('\n'));
        assert.ok(performance.now() - started < 2000, `slow on ${JSON.stringify(filler)}`);
      }
    });

    it('on many private-key headers without an END', () => {
      const started = performance.now();
      privateKeyDetections(`-----BEGIN ${'RSA PRIVATE'} KEY-----\n${'A'.repeat(64)}\n`.repeat(5000));
      assert.ok(performance.now() - started < 2000);
    });
  });

  describe('redactSecrets', () => {
    it('replaces every detected secret and counts them', async () => {
      const text = `const gh = "${githubToken}";\nconst url = "postgres://app:${dbPassword}@db/app";\n${pemKey}\nconst keep = "visible";\n`;
      const result = await redactSecrets(text);
      assert.equal(result.count, 3);
      for (const secret of [githubToken, dbPassword, pemKey.split('\n')[1]]) assert.ok(!result.text.includes(secret));
      assert.ok(result.text.includes('const gh = "[REDACTED]";'));
      assert.ok(result.text.includes('postgres://app:[REDACTED]@db/app'));
      assert.ok(result.text.includes('const keep = "visible";'));
    });

    it('leaves text without secrets untouched', async () => {
      const text = 'export function add(a: number, b: number) {\n  return a + b;\n}\n';
      assert.deepEqual(await redactSecrets(text, 'src/add.ts'), { text, count: 0 });
    });
  });
});

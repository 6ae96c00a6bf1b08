import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { redactLogText, redactLogValue } from '../../../server/observability/logRedaction';

const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;
const OPENAI_KEY = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234';
const ENV_SECRET = 'hunter2-but-longer';
const env = { DIFFWISE_LLM_API_KEY: ENV_SECRET, HOME: '/home/ana', DEBUG: 'true', MY_TOKEN: 'short', DATABASE_URL: 'postgres://app:s3cretpass@db:5432/x' };

describe('log redaction', () => {
  it('replaces token formats, env secrets, URL passwords and Authorization values in text', () => {
    const cases: Array<[string, string]> = [
      [`token is ${GITHUB_TOKEN}.`, 'token is [REDACTED:github].'],
      [`github_pat_${'x'.repeat(30)}`, '[REDACTED:github]'],
      [`key ${OPENAI_KEY}`, 'key [REDACTED:openai]'],
      ['xoxb-1234567890-abcdefghij', '[REDACTED:slack]'],
      ['AKIAIOSFODNN7EXAMPLE', '[REDACTED:aws]'],
      ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', '[REDACTED:jwt]'],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', '[REDACTED:private-key]'],
      ['Authorization: Bearer abcdefgh12345678', 'Authorization: Bearer [REDACTED]'],
      ['fetching https://ana:pa55word@example.com/x', 'fetching https://ana:[REDACTED]@example.com/x'],
      [`the key is ${ENV_SECRET}`, 'the key is [REDACTED]'],
      ['password=letmein99&user=ana', 'password=[REDACTED]&user=ana'],
      ['connecting to db with s3cretpass', 'connecting to db with [REDACTED]'],
    ];
    for (const [input, output] of cases) assert.equal(redactLogText(input, env), output, input);
  });

  it('redacts the content of secrets mounted as files (GITHUB_TOKEN_FILE, DATABASE_URL_FILE), not of other files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-redaction-'));
    try {
      const write = (name: string, content: string) => {
        fs.writeFileSync(path.join(dir, name), content);
        return path.join(dir, name);
      };
      const fileEnv = {
        GITHUB_WEBHOOK_SECRET_FILE: write('webhook', 'webhook-secret-from-a-file\n'),
        DATABASE_URL_FILE: write('db', 'postgres://svc:filed-password@db/x'),
        NOTES_FILE: write('notes', 'an ordinary sentence'),
        MISSING_TOKEN_FILE: path.join(dir, 'absent'),
      };
      assert.equal(redactLogText('sig webhook-secret-from-a-file, pw filed-password, an ordinary sentence', fileEnv), 'sig [REDACTED], pw [REDACTED], an ordinary sentence');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves ordinary text, short env values and non-secret variables alone', () => {
    const text = 'review finished in 120 ms: 3 files, true, short, /home/ana, maxTokens 4000';
    assert.equal(redactLogText(text, env), text);
  });

  it('walks objects, arrays and Errors, cycles included, without changing the input', () => {
    const error = new Error(`GitHub said no to ${GITHUB_TOKEN}`);
    const input: Record<string, unknown> = {
      apiKey: 'plain-looking-value',
      headers: { authorization: 'whatever' },
      maxTokens: 4000,
      list: [`a ${OPENAI_KEY}`, 1, null],
      error,
    };
    input.self = input;
    const out = redactLogValue(input, env);
    const text = JSON.stringify({ ...out, self: undefined, error: { message: (out.error as Error).message, stack: (out.error as Error).stack } });
    for (const secret of [GITHUB_TOKEN, OPENAI_KEY, 'plain-looking-value', 'whatever']) assert.equal(text.includes(secret), false, secret);
    assert.equal(out.maxTokens, 4000);
    assert.ok(out.error instanceof Error);
    assert.equal((out.error as Error).message, 'GitHub said no to [REDACTED:github]');
    assert.equal(out.self, out, 'a cycle stays a cycle in the copy');
    assert.equal(input.apiKey, 'plain-looking-value');
    assert.ok(error.message.includes(GITHUB_TOKEN));
  });
});

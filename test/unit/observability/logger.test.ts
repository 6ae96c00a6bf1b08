import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger, type LogDestination } from '../../../server/observability/logger';
import { logSettingsOf, LogSettingsError } from '../../../server/observability/logSettings';
import { lspLogDestination } from '../../../server/lsp/lspLogDestination';

const GITHUB_TOKEN = `ghp_${'Zx9'.repeat(12)}`;
const OPENAI_KEY = 'sk-AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const ENV_SECRET = 'correct-horse-battery-staple';
const env = { DIFFWISE_LLM_API_KEY: ENV_SECRET };

function collector(): LogDestination & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

describe('the logger', () => {
  it('writes JSON lines with ISO time, the level as a label, the component and the fields', async () => {
    const out = collector();
    const logger = await createLogger({ component: 'cli', level: 'debug', destination: out, env });
    logger.child({ reviewId: 'r-1' }).debug({ stage: 'diff', durationMs: 12.5 }, 'diff done');
    const record = JSON.parse(out.lines[0]!) as Record<string, unknown>;
    assert.equal(record.level, 'debug');
    assert.equal(record.component, 'cli');
    assert.equal(record.reviewId, 'r-1');
    assert.equal(record.stage, 'diff');
    assert.equal(record.durationMs, 12.5);
    assert.equal(record.msg, 'diff done');
    assert.match(String(record.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('filters by level', async () => {
    const out = collector();
    const logger = await createLogger({ component: 'daemon', level: 'warn', destination: out, env });
    logger.debug('not this');
    logger.info('nor this');
    logger.warn('this');
    logger.error({ code: 1 }, 'and this');
    assert.deepEqual(out.lines.map((line) => (JSON.parse(line) as { msg: string }).msg), ['this', 'and this']);
    assert.equal(logger.enabled('debug'), false);
    assert.equal(logger.enabled('error'), true);
    const silent = collector();
    (await createLogger({ component: 'daemon', level: 'silent', destination: silent, env })).error('nothing');
    assert.equal(silent.lines.length, 0);
  });

  it('never writes a token: as the message, as a field, nested, in an Error, in a child\'s fields', async () => {
    const out = collector();
    const logger = await createLogger({ component: 'cli', level: 'trace', destination: out, env });
    logger.info(`calling GitHub with ${GITHUB_TOKEN}`);
    logger.info({ key: OPENAI_KEY, nested: { deeper: [{ text: `Bearer ${ENV_SECRET}` }] }, apiKey: 'opaque-value-1' }, 'fields');
    logger.error({ err: new Error(`the LLM refused ${OPENAI_KEY}`) });
    logger.warn({ error: new Error(`GitHub refused ${GITHUB_TOKEN}`) }, 'a failure');
    logger.child({ token: 'child-binding-secret', url: 'https://ana:pa55word1@example.com' }).info('child');
    logger.debug(`the key is ${ENV_SECRET}`);
    const text = out.lines.join('');
    for (const secret of [GITHUB_TOKEN, OPENAI_KEY, ENV_SECRET, 'opaque-value-1', 'child-binding-secret', 'pa55word1']) {
      assert.equal(text.includes(secret), false, `${secret} leaked: ${text}`);
    }
    assert.equal(out.lines.length, 6);
    const errorLine = JSON.parse(out.lines[2]!) as { msg: string; err: { message: string; stack: string; type: string } };
    assert.equal(errorLine.msg, 'the LLM refused [REDACTED:openai]', 'the message pino takes from the error is redacted too');
    assert.equal(errorLine.err.type, 'Error');
    assert.match(errorLine.err.stack, /REDACTED/);
  });

  it('writes a file in folders it makes, rolled over at the size given', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-logger-'));
    const file = path.join(dir, 'a', 'b', 'diffwise.log');
    const logger = await createLogger({ component: 'cli', level: 'info', file, rotateSize: '1k', env });
    for (let batch = 0; batch < 4; batch++) {
      for (let i = 0; i < 10; i++) logger.info({ batch, i, pad: 'x'.repeat(40) }, 'line');
      // pino-roll rolls over between writes, once the stream has drained.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await logger.flush();
    const files = fs.readdirSync(path.dirname(file)).filter((name) => name.startsWith('diffwise.log.'));
    assert.ok(files.length >= 3, `rolled over: ${files.join(', ')}`);
    const lines = files.flatMap((name) => fs.readFileSync(path.join(path.dirname(file), name), 'utf8').split('\n').filter(Boolean));
    assert.equal(lines.length, 40);
    for (const line of lines) assert.equal((JSON.parse(line) as { component: string }).component, 'cli');
  });

  it('sends the daemon\'s records as window/logMessage at the matching type', async () => {
    const sent: Array<{ type: number; message: string }> = [];
    const destination = lspLogDestination({ sendNotification: (_method, params) => sent.push(params) });
    const logger = await createLogger({ component: 'daemon', level: 'trace', destination, env });
    logger.error('e');
    logger.warn('w');
    logger.info({ reviewId: 'r-2', token: 'abcdefgh12345' }, 'i');
    logger.debug('d');
    logger.trace('t');
    assert.deepEqual(sent.map((message) => message.type), [1, 2, 3, 5, 4]);
    assert.equal(sent[2]!.message, 'i {"reviewId":"r-2","token":"[REDACTED]"}');
  });
});

describe('log settings', () => {
  it('takes the flags over the environment, and says the choices for a bad level', () => {
    assert.deepEqual(logSettingsOf({}, {}), { level: undefined, file: undefined, rotateSize: '10m' });
    assert.equal(logSettingsOf({}, { DIFFWISE_LOG_LEVEL: 'DEBUG' }).level, 'debug');
    assert.equal(logSettingsOf({ level: 'warn' }, { DIFFWISE_LOG_LEVEL: 'debug' }).level, 'warn');
    assert.equal(logSettingsOf({}, { DIFFWISE_LOG_FILE: '/tmp/x.log' }).file, '/tmp/x.log');
    assert.throws(() => logSettingsOf({ level: 'loud' }, {}), (error: Error) => error instanceof LogSettingsError && /--log-level must be one of error, warn, info, debug, trace, silent \(got loud\)/.test(error.message));
    assert.throws(() => logSettingsOf({}, { DIFFWISE_LOG_LEVEL: 'verbose' }), /DIFFWISE_LOG_LEVEL must be one of/);
    assert.throws(() => logSettingsOf({}, { DIFFWISE_LOG_ROTATE_SIZE: 'big' }), /DIFFWISE_LOG_ROTATE_SIZE/);
  });
});

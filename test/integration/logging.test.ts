/**
 * Structured logs (issue 18): the built CLI and daemon write JSON lines at the level asked,
 * to a rotated file or the editor's channel, and never a token, whatever a message holds.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, runCliJson } from '../helpers/cli';
import { cleanupRepos, featureBranchRepo, makeTempDir } from '../helpers/gitRepo';
import { TestLspClient } from '../helpers/lspClient';
import { REVIEW_COMMAND } from '../../shared/protocol';
import type { ReviewDocument } from '../../shared/review';
import type { Metrics } from '../../shared/metrics';

const TOKEN = `ghp_${'k3Y'.repeat(12)}`;
const REVIEW = ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never', '--no-llm'];

type LogRecord = Record<string, unknown> & { level: string; component: string; msg: string };

function repo(): string {
  return featureBranchRepo(
    { 'src/api.ts': 'export function parse(input: string): number {\n  return input.length;\n}\n' },
    { 'src/api.ts': 'export function parse(input: string): number {\n  debugger;\n  return input.length;\n}\n' },
  );
}

/** Every line of the log file's rolled-over parts (F.1, F.2…), oldest first. */
function logFiles(file: string): string[] {
  const dir = path.dirname(file);
  return fs.readdirSync(dir)
    .filter((name) => name.startsWith(`${path.basename(file)}.`))
    .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
    .map((name) => path.join(dir, name));
}

function records(file: string): LogRecord[] {
  return logFiles(file).flatMap((part) => fs.readFileSync(part, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogRecord));
}

describe('structured logs', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('a command that cannot start (not a git repository) says so in the log too, not only in its one line', () => {
    const outside = makeTempDir();
    const file = path.join(makeTempDir(), 'diffwise.log');
    const result = runCli(outside, ['review', '--log-file', file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /not a git repository/);
    const failed = records(file).find((line) => line.msg === 'diffwise review failed');
    assert.ok(failed, JSON.stringify(records(file)));
    assert.equal(failed.level, 'error');
    assert.match(JSON.stringify(failed), /not a git repository/);
  });

  it('diffwise review --log-file --log-level debug writes JSON lines: a line per stage and the review\'s, with its id', () => {
    const root = repo();
    const file = path.join(makeTempDir(), 'logs', 'deeper', 'diffwise.log');
    const review = runCliJson<ReviewDocument>(root, [...REVIEW, '--log-file', file, '--log-level', 'debug']);
    assert.equal(review.code, 0, review.stderr);
    assert.equal(review.stderr, '', 'the log goes to the file, not to stderr');
    const lines = records(file);
    const runId = review.json.run.id;
    for (const line of lines) {
      assert.equal(line.component, 'cli');
      assert.match(String(line.time), /^\d{4}-\d\d-\d\dT/);
    }
    const finished = lines.find((line) => line.msg === 'review finished');
    assert.ok(finished, lines.map((line) => line.msg).join('\n'));
    assert.equal(finished.level, 'info');
    assert.equal(finished.reviewId, runId);
    assert.equal(finished.scope, 'branch');
    assert.equal(finished.files, 1);
    assert.equal(finished.findings, review.json.findings.length);
    assert.equal(typeof finished.durationMs, 'number');

    const { json: metrics } = runCliJson<Metrics>(root, ['metrics', '--json']);
    const stages = metrics.lastTrace!.spans.filter((span) => span.parentSpanId !== null).map((span) => span.name);
    assert.ok(stages.includes('diff'), stages.join(', '));
    const stageLines = lines.filter((line) => line.stage !== undefined && line.reviewId === runId);
    assert.deepEqual(stageLines.map((line) => line.stage), stages, 'one line per span of the trace, in its order');
    for (const line of stageLines) {
      assert.equal(line.level, 'debug');
      assert.equal(line.status, 'ok');
      assert.equal(typeof line.durationMs, 'number');
    }
  });

  it('a failure is logged without the token it mentions', () => {
    const root = repo();
    const file = path.join(makeTempDir(), 'diffwise.log');
    const failed = runCli(root, ['review', '--base', TOKEN, '--log-file', file], { GITHUB_TOKEN: TOKEN });
    assert.equal(failed.code, 2, failed.stderr);
    const text = logFiles(file).map((part) => fs.readFileSync(part, 'utf8')).join('');
    assert.ok(!text.includes(TOKEN), text);
    const lines = records(file);
    const error = lines.find((line) => line.msg === 'review failed');
    assert.ok(error, text);
    assert.equal(error.level, 'error');
    assert.match(JSON.stringify(error.errors), /unknown base ref: \[REDACTED\]/, 'the value of GITHUB_TOKEN, found in the environment');
    assert.ok(!lines.some((line) => line.level === 'debug'), '--log-file alone logs at info');
  });

  it('rolls the file over at DIFFWISE_LOG_ROTATE_SIZE', () => {
    const root = repo();
    const file = path.join(makeTempDir(), 'diffwise.log');
    for (let i = 0; i < 3; i++) {
      const result = runCli(root, [...REVIEW, '--no-cache', '--log-file', file, '--log-level', 'debug'], { DIFFWISE_LOG_ROTATE_SIZE: '1k' });
      assert.equal(result.code, 0, result.stderr);
    }
    const parts = logFiles(file).filter((part) => fs.statSync(part).size > 0);
    assert.ok(parts.length >= 3, `rolled over: ${logFiles(file).join(', ')}`);
    assert.equal(records(file).filter((line) => line.msg === 'review finished').length, 3, 'no line lost in the roll-over');
  });

  it('DIFFWISE_LOG_LEVEL alone logs to stderr at that level; a bad level is a usage error with the choices', () => {
    const root = repo();
    const info = runCli(root, REVIEW, { DIFFWISE_LOG_LEVEL: 'info' });
    assert.equal(info.code, 0, info.stderr);
    const lines = info.stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogRecord);
    assert.deepEqual(lines.map((line) => [line.level, line.msg]), [['info', 'review finished']]);

    const quiet = runCli(root, REVIEW);
    assert.equal(quiet.stderr, '', 'no level, no file: no log');

    const bad = runCli(root, [...REVIEW, '--log-level', 'loud']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--log-level must be one of error, warn, info, debug, trace, silent \(got loud\)/);
    const badEnv = runCli(root, ['metrics'], { DIFFWISE_LOG_LEVEL: 'verbose' });
    assert.equal(badEnv.code, 2);
    assert.match(badEnv.stderr, /DIFFWISE_LOG_LEVEL must be one of error, warn, info, debug, trace, silent \(got verbose\)/);
  });

  it('the daemon sends its records as window/logMessage at the matching types, and never a token', async () => {
    const root = repo();
    const file = path.join(makeTempDir(), 'daemon.log');
    const client = await TestLspClient.start(root, { DIFFWISE_LOG_LEVEL: 'debug', DIFFWISE_LOG_FILE: file, GITHUB_TOKEN: TOKEN });
    try {
      await client.waitFor(() => client.statuses.some((status) => status.state === 'idle'), 'the first index');
      await client.connection.sendRequest('workspace/executeCommand', { command: REVIEW_COMMAND, arguments: [{ scope: 'branch', base: 'main' }] });
      await client.connection.sendRequest('workspace/executeCommand', { command: REVIEW_COMMAND, arguments: [{ scope: 'branch', base: TOKEN }] }).catch(() => undefined);
      await client.waitFor(() => client.logRecords.some((record) => record.message.startsWith('review failed')), 'the failed review\'s line');
    } finally {
      await client.stop();
    }
    const typeOf = (prefix: string) => client.logRecords.find((record) => record.message.startsWith(prefix))?.type;
    assert.equal(typeOf('daemon started'), 3, 'info');
    assert.equal(typeOf('indexed'), 3);
    assert.equal(typeOf('diff done'), 5, 'debug');
    assert.equal(typeOf('review finished'), 3);
    assert.equal(typeOf('review failed'), 1, 'error');
    assert.ok(client.logRecords.some((record) => record.type === 2 && / failed/.test(record.message)), 'the failed stage is a warning');
    const sent = client.logRecords.map((record) => record.message).join('\n');
    assert.ok(!sent.includes(TOKEN), sent);
    assert.match(sent, /unknown base ref: \[REDACTED\]/);
    const written = records(file);
    assert.ok(written.every((line) => line.component === 'daemon'));
    assert.ok(written.some((line) => line.msg === 'review finished'), 'the file gets the same records');
    assert.ok(!JSON.stringify(written).includes(TOKEN));
  });
});

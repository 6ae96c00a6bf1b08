/**
 * Errors (issue 18): `diffwise errors` groups the failures of recorded reviews by cause, and
 * with SENTRY_DSN set each failure is sent as a Sentry event (to a receiver on 127.0.0.1 that
 * decodes the envelope format) under the same fingerprint, redacted; without it nothing is sent.
 */
import * as assert from 'node:assert/strict';
import type { ErrorGroup } from '../../shared/observability';
import { runCli, runCliAsync, runCliJson } from '../helpers/cli';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fakeOpenAi';
import { TestLspClient } from '../helpers/lspClient';
import { REVIEW_COMMAND } from '../../shared/protocol';
import { cleanupRepos, commitAll, featureBranchRepo, makeRepo, write } from '../helpers/gitRepo';
import { startSentryReceiver, type SentryReceiver } from '../helpers/sentryReceiver';

/** A GitHub token's shape: redacted by its format and, being in the environment, by its value. */
const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

describe('diffwise errors and Sentry', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  let receiver: SentryReceiver;
  beforeEach(async () => {
    receiver = await startSentryReceiver();
  });
  afterEach(() => receiver.close());

  it('a failed review sends one event with our fingerprint, tags and trace, and no secret', async () => {
    const repo = makeRepo();
    write(repo, 'src/a.ts', 'export const a = 1;\n');
    commitAll(repo, 'initial');
    const failed = await runCliAsync(repo, ['review', '--base', `release/${TOKEN}`], { SENTRY_DSN: receiver.dsn, SENTRY_ENVIRONMENT: 'ci', GITHUB_TOKEN: TOKEN });
    assert.equal(failed.code, 2, failed.stderr);

    const [event] = await receiver.waitForEvents(1);
    assert.equal(receiver.events().length, 1);
    const { json } = runCliJson<{ errors: ErrorGroup[] }>(repo, ['errors', '--json']);
    const [group] = json.errors;
    assert.deepEqual(event.fingerprint, [group.fingerprint], 'Sentry groups by the fingerprint diffwise errors counts by');
    assert.equal(event.tags.stage, 'diff');
    assert.equal(event.tags['error.class'], 'GitError');
    assert.equal(event.tags['diffwise.run.id'], group.exampleRunId);
    assert.match(event.contexts.trace.trace_id, /^[0-9a-f]{32}$/);
    assert.equal(event.exception.values[0].type, 'GitError');
    assert.equal(event.environment, 'ci');
    assert.match(event.release, /^\d+\.\d+\.\d+/);
    assert.deepEqual(event.sdk.integrations, [], 'no default integration: no global handler, no instrumentation');
    assert.equal(receiver.envelopes[0].project, '1');

    const sent = JSON.stringify(receiver.envelopes);
    assert.ok(!sent.includes(TOKEN), 'the token is redacted from what is sent');
    assert.match(event.exception.values[0].value, /unknown base ref: release\/\[REDACTED/);
  });

  it('a partial review (the LLM endpoint answers 500) sends an llm event; the review itself still passes', async () => {
    const fake: FakeOpenAi = await startFakeOpenAi();
    try {
      fake.setDefault({ kind: 'status', status: 500, message: 'the model is down' });
      const repo = featureBranchRepo({ 'src/a.ts': 'export const a = 1;\n' }, { 'src/a.ts': 'export const a = 1;\nexport const b = a * 2;\n' });
      const review = await runCliAsync(repo, ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never'], {
        SENTRY_DSN: receiver.dsn, DIFFWISE_LLM_BASE_URL: fake.baseUrl, DIFFWISE_LLM_API_KEY: 'sk-test-0123456789abcdef', DIFFWISE_LLM_MODEL: 'review-model',
      });
      assert.equal(review.code, 0, review.stderr);
      assert.equal(JSON.parse(review.stdout).run.status, 'partial');
      const events = await receiver.waitForEvents(1);
      assert.equal(events.length, 1);
      assert.equal(events[0].tags.stage, 'llm');
      assert.equal(events[0].tags['diffwise.run.status'], 'partial');
      assert.equal(events[0].level, 'warning');
      assert.ok(!JSON.stringify(receiver.envelopes).includes('sk-test-0123456789abcdef'));
    } finally {
      await fake.close();
    }
  });

  it('the daemon reports a failed review too, and has sent it by the time it has shut down', async () => {
    const repo = makeRepo();
    write(repo, 'src/a.ts', 'export const a = 1;\n');
    commitAll(repo, 'initial');
    const client = await TestLspClient.start(repo, { SENTRY_DSN: receiver.dsn });
    await client.connection.sendRequest('workspace/executeCommand', { command: REVIEW_COMMAND, arguments: [{ scope: 'branch', base: 'nope' }] }).catch(() => undefined);
    await client.stop();
    const events = receiver.events();
    assert.equal(events.length, 1, client.stderr);
    assert.equal(events[0].tags.stage, 'diff');
    assert.equal(events[0].tags['error.class'], 'GitError');
  });

  it('sends nothing without SENTRY_DSN; an unreachable Sentry delays the exit by the flush bound at most', async () => {
    const repo = makeRepo();
    write(repo, 'src/a.ts', 'export const a = 1;\n');
    commitAll(repo, 'initial');
    const unset = await runCliAsync(repo, ['review', '--base', 'nope'], { SENTRY_DSN: '' });
    assert.equal(unset.code, 2);
    assert.equal(receiver.envelopes.length, 0);

    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    const started = Date.now();
    const unreachable = await runCliAsync(repo, ['review', '--base', 'nope'], { SENTRY_DSN: 'http://publickey@127.0.0.1:9/1' });
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.stderr, /unknown base ref: nope/);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });

  it('diffwise errors: two failed runs with different refs are one group counted 2, in text and JSON', async () => {
    const repo = makeRepo();
    write(repo, 'src/a.ts', 'export const a = 1;\n');
    commitAll(repo, 'initial');
    const empty = runCli(repo, ['errors']);
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /^No review has failed/);
    assert.deepEqual(runCliJson(repo, ['errors', '--json']).json, { errors: [] });

    assert.equal(runCli(repo, ['review', '--base', 'feature-1234']).code, 2);
    assert.equal(runCli(repo, ['review', '--base', 'origin/nope']).code, 2);

    const { code, json } = runCliJson<{ errors: ErrorGroup[] }>(repo, ['errors', '--json']);
    assert.equal(code, 0);
    assert.equal(json.errors.length, 1);
    const [group] = json.errors;
    assert.equal(group.count, 2);
    assert.equal(group.stage, 'diff');
    assert.equal(group.errorClass, 'GitError');
    assert.equal(group.message, 'unknown base ref: <value>');
    assert.equal(group.example, 'unknown base ref: origin/nope', 'the last message as said');
    assert.match(group.fingerprint, /^[0-9a-f]{12}$/);

    const text = runCli(repo, ['errors']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^${group.fingerprint}  2 times  .*GitError\n    unknown base ref: <value>\n    first seen just now, last seen just now; in run ${group.exampleRunId}\n    last: unknown base ref: origin/nope\n`));
    assert.match(text.stdout, /2 failures of 1 cause\n$/);
    assert.equal(receiver.envelopes.length, 0, 'no DSN, nothing sent');
  });
});

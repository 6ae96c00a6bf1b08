import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { AlertReport } from '../../shared/observability';
import { AlertsNotification } from '../../shared/protocol';
import { runCliAsync, runCliJsonAsync } from '../helpers/cli';
import { cleanupRepos, commitAll, makeRepo, makeTempDir, write } from '../helpers/gitRepo';
import { TestLspClient } from '../helpers/lspClient';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fakeGitHub';
import { featureRepo } from '../helpers/prRepo';

const alertLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('diffwise: alert: '));

/** A repository whose team config makes the alerts quick to reach: a window of 4 reviews, 2 enough for a rate. */
function repoWithAlertConfig(alerts: Record<string, unknown>): string {
  const repo = makeRepo();
  // freeDiskMinMb 0: the test machine's own disk must not decide what fires.
  write(repo, '.diffwise/config.json', `${JSON.stringify({ alerts: { freeDiskMinMb: 0, ...alerts } }, null, 2)}\n`);
  write(repo, 'src/a.ts', 'export const a = 1;\n');
  commitAll(repo, 'initial');
  return repo;
}

describe('alerts (the CLI, its webhook, the daemon)', function () {
  this.timeout(120_000);
  let receiver: WebhookReceiver;
  beforeEach(async () => (receiver = await startWebhookReceiver()));
  afterEach(() => receiver.close());
  after(cleanupRepos);

  it('a failure rate fires once on stderr and the webhook, not again while it holds, and clears after successes', async () => {
    const repo = repoWithAlertConfig({ window: 4, minReviews: 2 });
    const env = { DIFFWISE_DB: path.join(makeTempDir(), 'alerts.db'), DIFFWISE_ALERT_WEBHOOK_URL: receiver.url };

    const ok = await runCliAsync(repo, ['review'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(alertLines(ok.stderr), []);

    const failed = await runCliAsync(repo, ['review', '--base', 'nope', '--format', 'json'], env);
    assert.equal(failed.code, 2, 'the exit code stays the review\'s');
    assert.deepEqual(alertLines(failed.stderr), ['diffwise: alert: 1 of the last 2 reviews failed (50%, above 20%) — run diffwise errors to see why they fail (Diffwise: Run Health Check in the editor)']);
    assert.doesNotMatch(failed.stdout, /alert/, 'never on stdout');
    await receiver.waitForPosts(1);
    assert.equal(receiver.posts[0]!.contentType, 'application/json');
    const body = receiver.posts[0]!.body;
    assert.equal(typeof body.text, 'string');
    assert.match(body.text as string, /Diffwise alert \(.+\): 1 of the last 2 reviews failed/);
    assert.ok(Array.isArray(body.blocks) && (body.blocks as Array<{ type: string }>)[0]!.type === 'section', 'Slack\'s blocks');

    const again = await runCliAsync(repo, ['review', '--base', 'nope'], env);
    assert.equal(again.code, 2);
    assert.deepEqual(alertLines(again.stderr), [], 'no repeat while it holds');

    const listed = await runCliJsonAsync<AlertReport>(repo, ['alerts', '--json'], env);
    assert.equal(listed.code, 0);
    assert.deepEqual(listed.json.firing.map((alert) => [alert.id, alert.value]), [['review-failure-rate', 0.667]]);
    assert.deepEqual(listed.json.fired, []);
    assert.equal(receiver.posts.length, 1, 'one POST for one condition');

    // Four successes push the failures out of the window of 4: the alert clears, and the webhook is told.
    for (let i = 0; i < 4; i++) {
      const result = await runCliAsync(repo, ['review'], env);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(alertLines(result.stderr), []);
    }
    await receiver.waitForPosts(2);
    assert.match(receiver.posts[1]!.body.text as string, /cleared .*review-failure-rate/);
    const quiet = await runCliAsync(repo, ['alerts'], env);
    assert.match(quiet.stdout, /^No alert fires\./);
    assert.equal(receiver.posts.length, 2);
  });

  it('an unreachable webhook costs the review nothing and its URL is never echoed whole', async () => {
    const repo = repoWithAlertConfig({ window: 2, minReviews: 1 });
    await receiver.close();
    const env = { DIFFWISE_DB: path.join(makeTempDir(), 'alerts.db'), DIFFWISE_ALERT_WEBHOOK_URL: receiver.url };
    receiver = await startWebhookReceiver();
    const failed = await runCliAsync(repo, ['review', '--base', 'nope'], env);
    assert.equal(failed.code, 2);
    assert.equal(alertLines(failed.stderr).length, 1);
    assert.match(failed.stderr, /the alert webhook at http:\/\/127\.0\.0\.1:\d+\/… could not be reached/);
    assert.doesNotMatch(failed.stderr, /s3cr3tWebhookPath/);
  });

  it('the daemon records its starts and sends diffwise/alerts at start when it restarts in a loop', async () => {
    const repo = repoWithAlertConfig({ restartCount: 2 });
    const env = { DIFFWISE_DB: path.join(makeTempDir(), 'alerts.db'), DIFFWISE_ALERT_WEBHOOK_URL: receiver.url };

    const startAndCollect = async (): Promise<{ client: TestLspClient; reports: AlertReport[] }> => {
      const reports: AlertReport[] = [];
      const client = await TestLspClient.start(repo, env);
      client.connection.onNotification(AlertsNotification.type, (report: AlertReport) => {
        reports.push(report);
      });
      await client.waitFor(() => client.statuses.some((status) => status.state === 'idle'), 'the first index');
      return { client, reports };
    };

    const first = await startAndCollect();
    assert.deepEqual(first.reports, [], 'one start is no loop');
    await first.client.stop();

    const second = await startAndCollect();
    await second.client.waitFor(() => second.reports.length > 0, 'diffwise/alerts');
    assert.deepEqual(second.reports[0]!.fired.map((alert) => alert.id), ['daemon-restarts']);
    assert.match(second.reports[0]!.fired[0]!.message, /started 2 times in 10 minutes/);
    await receiver.waitForPosts(1);
    await second.client.stop();
    assert.match(receiver.posts[0]!.body.text as string, /restarting in a loop/);

    // A new session is told what still fires (nothing new: `fired` is empty, and no second POST).
    const third = await startAndCollect();
    await third.client.waitFor(() => third.reports.length > 0, 'diffwise/alerts at start');
    assert.deepEqual(third.reports[0]!.fired, []);
    assert.deepEqual(third.reports[0]!.firing.map((alert) => alert.id), ['daemon-restarts']);
    await third.client.stop();
    assert.equal(receiver.posts.length, 1);
  });
});

describe('alerts: the GitHub rate limit', function () {
  this.timeout(60_000);
  let github: FakeGitHub;
  afterEach(() => github.close());
  after(cleanupRepos);

  it('remembers the last answer\'s rate limit and alerts below the share left', async () => {
    github = await startFakeGitHub({ limit: 12 });
    github.addRepository('octo', 'app');
    const { repo, head, base } = featureRepo();
    // A sync spends 3 of the 12: alert below 80% left, as a team with a small token budget might.
    write(repo, '.diffwise/config.json', JSON.stringify({ alerts: { githubRemainingPercent: 80, freeDiskMinMb: 0 } }));
    github.addPull('octo', 'app', { number: 7, title: 'Scale the lines', head: { ref: 'feature', sha: head }, base: { ref: 'main', sha: base } });
    const env = { GITHUB_TOKEN: github.token, DIFFWISE_GITHUB_API_URL: github.apiUrl, DIFFWISE_DB: path.join(makeTempDir(), 'alerts.db') };
    const sync = await runCliAsync(repo, ['pr', 'sync', '--json'], env);
    assert.equal(sync.code, 0, sync.stderr);
    const left = github.rateLimitState().remaining;
    const { json } = await runCliJsonAsync<AlertReport>(repo, ['alerts', '--json'], env);
    const alert = json.fired.find((fired) => fired.id === 'github-rate-limit');
    assert.ok(alert, `${left} of 12 left: ${JSON.stringify(json)}`);
    assert.match(alert.message, new RegExp(`^${left} of 12 GitHub API requests \\(core\\) left until `));
  });
});

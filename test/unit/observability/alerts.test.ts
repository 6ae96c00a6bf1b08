import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALERT_DEFAULTS, alertConditions, percentile, type AlertInputs } from '../../../server/observability/alerts';
import { evaluateAlerts, redactedUrl, webhookBody, type AlertSources } from '../../../server/observability/alertNotifier';
import { loadAlertSettings } from '../../../server/observability/alertSettings';
import { AlertStore } from '../../../server/store/alertStore';
import { openDatabase, type Db } from '../../../server/store/database';
import type { RunStatus } from '../../../shared/review';
import { cleanupRepos, makeRepo, makeTempDir, write } from '../../helpers/gitRepo';

const NOW = new Date('2026-12-03T10:00:00.000Z');
const GB = 1024 ** 3;

/** Inputs under which nothing alerts; each test changes one thing. */
function quiet(changes: Partial<AlertInputs> = {}): AlertInputs {
  return {
    now: NOW, recentRuns: Array.from({ length: 20 }, () => ({ status: 'ok' as RunStatus, durationMs: 1000 })),
    monthlyBudgetUsd: null, spentThisMonthUsd: 0, databaseBytes: 10_000, freeDiskBytes: 50 * GB,
    recentDaemonStarts: 1, githubRateLimits: {}, ...changes,
  };
}

function runs(statuses: RunStatus[], durationMs = 1000): AlertInputs['recentRuns'] {
  return statuses.map((status) => ({ status, durationMs }));
}

const ids = (inputs: AlertInputs) => alertConditions(inputs).map((condition) => condition.id);

describe('alert rules', () => {
  it('says nothing when all is well', () => {
    assert.deepEqual(ids(quiet()), []);
  });

  it('review failure rate: above 20% of the last 20, partial reviews not counted as failed', () => {
    const fourFailed = runs([...Array(4).fill('failed'), ...Array(16).fill('ok')]);
    assert.deepEqual(ids(quiet({ recentRuns: fourFailed })), [], '4 of 20 is 20%: not above');
    const fiveFailed = runs([...Array(5).fill('failed'), ...Array(15).fill('ok')]);
    const [alert] = alertConditions(quiet({ recentRuns: fiveFailed }));
    assert.equal(alert!.id, 'review-failure-rate');
    assert.equal(alert!.value, 0.25);
    assert.match(alert!.message, /5 of the last 20 reviews failed \(25%, above 20%\)/);
    assert.match(alert!.action, /diffwise errors/);
    assert.deepEqual(ids(quiet({ recentRuns: runs([...Array(10).fill('partial'), ...Array(10).fill('ok')]) })), []);
    assert.deepEqual(ids(quiet({ recentRuns: runs(['failed', 'failed']) })), [], 'fewer reviews than minReviews are no trend');
    assert.deepEqual(ids(quiet({ recentRuns: runs(Array(25).fill('failed').map((s, i) => (i < 20 ? 'ok' : s))) })), [], 'only the newest 20 count');
  });

  it('p95 review duration above the 30 s target', () => {
    const slow = [...runs(Array(18).fill('ok'), 1000), ...runs(['ok', 'ok'], 40_000)];
    assert.equal(percentile(slow.map((run) => run.durationMs), 0.95), 40_000);
    const [alert] = alertConditions(quiet({ recentRuns: slow }));
    assert.equal(alert!.id, 'review-duration-p95');
    assert.equal(alert!.threshold, 30_000);
    assert.match(alert!.message, /40\.0 s, above the 30\.0 s target/);
    const oneSlow = [...runs(Array(19).fill('ok'), 1000), ...runs(['ok'], 40_000)];
    assert.deepEqual(ids(quiet({ recentRuns: oneSlow })), [], 'one slow review of 20 is the p100, not the p95');
  });

  it('LLM spend at 80% and at 100% of the monthly budget', () => {
    assert.deepEqual(ids(quiet({ monthlyBudgetUsd: 10, spentThisMonthUsd: 7.99 })), []);
    assert.deepEqual(ids(quiet({ monthlyBudgetUsd: 10, spentThisMonthUsd: 8 })), ['llm-budget-80']);
    const both = alertConditions(quiet({ monthlyBudgetUsd: 10, spentThisMonthUsd: 10.5 }));
    assert.deepEqual(both.map((alert) => [alert.id, alert.severity]), [['llm-budget-80', 'warning'], ['llm-budget-100', 'error']]);
    assert.match(both[1]!.message, /\$10\.50 of the \$10\.00 monthly LLM budget spent \(105%\)/);
    assert.deepEqual(ids(quiet({ monthlyBudgetUsd: null, spentThisMonthUsd: 100 })), [], 'no budget, no alert');
  });

  it('database size above 1 GB and free disk below 1 GB', () => {
    assert.deepEqual(ids(quiet({ databaseBytes: GB })), []);
    assert.deepEqual(ids(quiet({ databaseBytes: GB + 1 })), ['database-size']);
    assert.deepEqual(ids(quiet({ freeDiskBytes: GB })), []);
    const [disk] = alertConditions(quiet({ freeDiskBytes: 200 * 1024 ** 2 }));
    assert.equal(disk!.id, 'free-disk');
    assert.match(disk!.message, /only 200 MB free/);
    assert.deepEqual(ids(quiet({ freeDiskBytes: null })), [], 'a platform that cannot say is no alert');
  });

  it('the daemon restarting in a loop: 5 starts in the window', () => {
    assert.deepEqual(ids(quiet({ recentDaemonStarts: 4 })), []);
    const [loop] = alertConditions(quiet({ recentDaemonStarts: 5 }));
    assert.equal(loop!.id, 'daemon-restarts');
    assert.match(loop!.message, /5 times in 10 minutes/);
  });

  it('GitHub rate limit below 10% left, cleared by the reset', () => {
    const future = new Date(NOW.getTime() + 60_000).toISOString();
    assert.deepEqual(ids(quiet({ githubRateLimits: { core: { remaining: 500, limit: 5000, resetAt: future } } })), []);
    const [low] = alertConditions(quiet({ githubRateLimits: { core: { remaining: 4000, limit: 5000, resetAt: future }, graphql: { remaining: 499, limit: 5000, resetAt: future } } }));
    assert.equal(low!.id, 'github-rate-limit');
    assert.match(low!.message, /^499 of 5000 GitHub API requests \(graphql\) left until /, 'the emptiest bucket');
    const past = new Date(NOW.getTime() - 1).toISOString();
    assert.deepEqual(ids(quiet({ githubRateLimits: { core: { remaining: 0, limit: 5000, resetAt: past } } })), [], 'after the reset the limit is whole again');
  });
});

describe('alert settings', () => {
  after(cleanupRepos);

  it('defaults, then .diffwise/config.json, then the editor; the environment\'s webhook first', () => {
    const repo = makeRepo();
    assert.deepEqual(loadAlertSettings(repo, {}), { ...ALERT_DEFAULTS, webhookUrl: undefined });
    write(repo, '.diffwise/config.json', JSON.stringify({ alerts: { failureRatePercent: 50, databaseMaxMb: 100, webhookUrl: 'https://hooks.example/file' } }));
    const fromFile = loadAlertSettings(repo, {}, { databaseMaxMb: 200 });
    assert.equal(fromFile.failureRate, 0.5);
    assert.equal(fromFile.databaseMaxBytes, 200 * 1024 ** 2, 'the editor overrides the file');
    assert.equal(fromFile.webhookUrl, 'https://hooks.example/file');
    assert.equal(loadAlertSettings(repo, { DIFFWISE_LLM: 'untrusted' }).webhookUrl, undefined, 'an untrusted repository does not choose where alerts go');
    assert.equal(loadAlertSettings(repo, { DIFFWISE_ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/env' }).webhookUrl, 'http://127.0.0.1:9/env');
    write(repo, '.diffwise/config.json', JSON.stringify({ alerts: { failureRatePercent: 'many' } }));
    assert.throws(() => loadAlertSettings(repo, {}), /config\.json: alerts\.failureRatePercent/);
  });
});

describe('alert state: fires once per condition', () => {
  let db: Db;
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(path.join(dir, 'alerts.db'));
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  let runSeq = 0;
  function recordRun(status: RunStatus, at: Date): void {
    db.prepare(`INSERT INTO review_runs (id, scope, status, started_at, duration_ms, files, hunks, findings, errors) VALUES (?, 'working-tree', ?, ?, 100, 0, 0, 0, '[]')`)
      .run(`run-${++runSeq}`, status, at.toISOString());
  }

  function sources(store: AlertStore): AlertSources {
    return { store, dbPath: path.join(dir, 'alerts.db'), costSince: () => 0, monthlyBudgetUsd: () => null };
  }

  it('fires when the condition starts, not again while it holds, clears, and can fire again', () => {
    const store = new AlertStore(db);
    // The machine's own free disk must not decide these tests.
    const thresholds = { ...ALERT_DEFAULTS, minReviews: 2, freeDiskMinBytes: 0 };
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
    recordRun('ok', at(0));
    recordRun('failed', at(1));
    const first = evaluateAlerts(sources(store), thresholds, at(2));
    assert.deepEqual(first.fired.map((alert) => alert.id), ['review-failure-rate']);
    assert.equal(first.fired[0]!.since, at(2).toISOString());

    recordRun('failed', at(3));
    const again = evaluateAlerts(sources(store), thresholds, at(4));
    assert.deepEqual(again.fired, [], 'no repeat while it holds');
    assert.deepEqual(again.firing.map((alert) => [alert.id, alert.since, alert.value]), [['review-failure-rate', at(2).toISOString(), 0.667]], 'the start kept, the figures new');
    assert.deepEqual([...new AlertStore(db).firing().keys()], ['review-failure-rate'], 'remembered in alert_state for the next process');

    for (let i = 0; i < 12; i++) recordRun('ok', at(5 + i));
    const cleared = evaluateAlerts(sources(store), thresholds, at(20));
    assert.deepEqual(cleared.cleared, ['review-failure-rate']);
    assert.deepEqual(cleared.firing, []);
    assert.equal(store.firing().size, 0, 'its row deleted');

    for (let i = 0; i < 5; i++) recordRun('failed', at(21 + i));
    assert.deepEqual(evaluateAlerts(sources(store), thresholds, at(30)).fired.map((alert) => alert.id), ['review-failure-rate'], 'fires again after clearing');
  });

  it('counts daemon starts in the window and remembers the GitHub rate limit', () => {
    const store = new AlertStore(db);
    const thresholds = { ...ALERT_DEFAULTS, freeDiskMinBytes: 0 };
    for (let i = 0; i < 5; i++) store.recordStart('daemon', 100 + i, new Date(NOW.getTime() - (20 - i) * 60_000));
    assert.equal(store.startsSince('daemon', new Date(NOW.getTime() - 10 * 60_000).toISOString()), 0);
    for (let i = 0; i < 5; i++) store.recordStart('daemon', 200 + i, new Date(NOW.getTime() - i * 60_000));
    const report = evaluateAlerts(sources(store), thresholds, NOW);
    assert.deepEqual(report.fired.map((alert) => alert.id), ['daemon-restarts']);

    store.rememberRateLimit('core', { remaining: 3, limit: 5000, resetAt: new Date(NOW.getTime() + 60_000).toISOString() });
    assert.deepEqual(evaluateAlerts(sources(store), thresholds, NOW).fired.map((alert) => alert.id), ['github-rate-limit']);
    const afterReset = evaluateAlerts(sources(store), thresholds, new Date(NOW.getTime() + 120_000));
    assert.ok(afterReset.cleared.includes('github-rate-limit'), 'cleared after its reset');
  });
});

describe('alert webhook body', () => {
  it('is Slack-compatible for a fired and a cleared alert, and the URL is never shown whole', () => {
    const [alert] = alertConditions(quiet({ databaseBytes: 2 * GB }));
    const fired = webhookBody({ fired: { ...alert!, since: NOW.toISOString() } }, 'repo');
    assert.match(fired.text, /Diffwise alert \(repo\): the database is 2\.0 GB, above the 1\.0 GB limit\./);
    assert.deepEqual((fired.blocks[0] as { type: string }).type, 'section');
    assert.match(webhookBody({ cleared: 'database-size' }, 'repo').text, /cleared \(repo\): database-size/);
    assert.equal(redactedUrl('https://hooks.slack.com/services/T000/B000/XXXXSECRET'), 'https://hooks.slack.com/…');
    assert.equal(redactedUrl('https://user:pw@example.com/x?token=1'), 'https://example.com/…');
  });
});

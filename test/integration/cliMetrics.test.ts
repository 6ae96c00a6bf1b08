import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { Metrics } from '../../server/metrics/metrics';
import { ReviewRequest } from '../../shared/protocol';
import { runCli, runCliJson } from '../helpers/cli';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, write } from '../helpers/gitRepo';
import { TestLspClient } from '../helpers/lspClient';

describe('diffwise metrics (runs recorded by every front end)', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('counts ok and failed reviews from the CLI and the daemon, with findings by rule and stage timings', async () => {
    const repo = makeRepo();
    write(repo, 'src/a.ts', 'export const a = 1;\n');
    commitAll(repo, 'initial');
    git(repo, 'checkout', '-q', '-b', 'feature');
    write(repo, 'src/a.ts', 'export const a = 1;\ndebugger;\n');
    commitAll(repo, 'debugger');
    const db = path.join(makeTempDir(), 'metrics.db');
    const env = { DIFFWISE_DB: db };

    assert.equal(runCli(repo, ['review', '--base', 'main'], env).code, 0);
    assert.equal(runCli(repo, ['review', '--base', 'nope'], env).code, 2, 'a failed review is still recorded');
    const client = await TestLspClient.start(repo, env);
    await client.connection.sendRequest(ReviewRequest.type, { scope: 'branch', base: 'main', trigger: 'command' });
    await client.stop();

    const { code, json } = runCliJson<Metrics>(repo, ['metrics', '--json'], env);
    assert.equal(code, 0);
    assert.deepEqual(Object.keys(json), ['reviews', 'cache', 'duration', 'llm', 'findings', 'feedback', 'rules', 'timeline', 'lastTrace', 'errors']);
    assert.deepEqual(json.reviews, { total: 3, ok: 2, partial: 0, failed: 1, successRate: 0.6667 });
    assert.deepEqual(json.cache, { hunks: 2, hits: 1, hitRate: 0.5 }, 'the daemon\'s review of the unchanged branch came from the cache');
    assert.deepEqual(json.llm, { calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, savedUsd: 0, monthlyBudgetUsd: null });
    assert.deepEqual(json.feedback, { up: 0, down: 0, acceptanceRate: 0, byRule: {} });
    assert.deepEqual(json.rules, [{ ruleId: 'debug-leftover', findings: 2, up: 0, down: 0, acceptanceRate: null }]);
    assert.equal(json.timeline.bucket, 'hour');
    assert.equal(json.timeline.points.reduce((total, point) => total + point.reviews, 0), 3);
    assert.deepEqual(json.findings.byRule, { 'debug-leftover': 2 });
    assert.ok(json.duration.p95Ms >= json.duration.p50Ms && json.duration.p50Ms > 0);
    // The failed review (no such base) is one error group; the daemon's review is the last trace.
    assert.equal(json.errors.length, 1);
    assert.deepEqual([json.errors[0].stage, json.errors[0].errorClass, json.errors[0].count], ['diff', 'GitError', 1]);
    assert.match(json.errors[0].fingerprint, /^[0-9a-f]{12}$/);
    assert.equal(json.errors[0].message, 'unknown base ref: <value>', 'the ref is a variable part of the message');
    const trace = json.lastTrace!;
    assert.equal(trace.spans[0].name, 'review');
    assert.equal(trace.spans[0].attributes['diffwise.review.trigger'], 'command');
    const stageNames = trace.spans.filter((span) => span.parentSpanId === trace.spans[0].spanId).map((span) => span.name);
    for (const stage of ['diff', 'index', 'rule:secret', 'rule:breaking-change', 'learning']) assert.ok(stageNames.includes(stage), `a span for ${stage}: ${stageNames.join(', ')}`);
    for (const span of trace.spans) assert.ok(span.startMs >= 0 && span.startMs + span.durationMs <= trace.spans[0].durationMs + 1, `${span.name} lies inside the review`);

    const rows = new Database(db, { readonly: true }).prepare('SELECT trigger, status, stage_ms AS stageMs FROM review_runs ORDER BY started_at').all() as Array<{ trigger: string; status: string; stageMs: string }>;
    assert.deepEqual(rows.map((row) => `${row.trigger}:${row.status}`), ['cli:ok', 'cli:failed', 'command:ok']);
    assert.deepEqual(Object.keys(JSON.parse(rows[0].stageMs)), ['diff', 'index', 'read', 'cache', 'rule:secret', 'rule:debug-leftover', 'rule:conflict-marker', 'rule:co-change', 'rule:import-cycle', 'rule:breaking-change', 'cache-store', 'redact', 'remember', 'learning', 'impact']);

    const text = runCli(repo, ['metrics', '--since', '1h'], env);
    assert.match(text.stdout, /^Reviews in the last 1h: 3 \(2 ok, 0 partial, 1 failed\); success rate 66\.7%$/m);
    assert.match(text.stdout, /^Findings: debug-leftover 2$/m);
    assert.equal(runCli(repo, ['metrics', '--since', 'yesterday'], env).code, 2);
  });
});

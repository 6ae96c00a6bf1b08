import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runHealthChecks, worstOf } from '../../../server/health/healthReport';
import { healthText } from '../../../server/report/healthText';
import type { HealthReport } from '../../../shared/observability';
import { cleanupRepos, makeRepo, makeTempDir } from '../../helpers/gitRepo';

describe('health: the report', () => {
  after(cleanupRepos);

  it('runs every check in order on a fresh repository, writing nothing; the worst status is the report\'s', async () => {
    const root = makeRepo();
    const report = await runHealthChecks({ dir: root, env: { PATH: process.env.PATH } });
    assert.deepEqual(report.checks.map((check) => check.id), ['node', 'git', 'database', 'disk', 'index', 'llm', 'github']);
    assert.equal(report.status, 'warning'); // no review yet: no database, no index
    assert.equal(fs.existsSync(path.join(root, '.git', 'diffwise')), false);
  });

  it('outside a repository: an error naming it, and the checks that need one left out', async () => {
    const report = await runHealthChecks({ dir: makeTempDir(), env: { PATH: process.env.PATH } });
    assert.deepEqual(report.checks.map((check) => check.id), ['node', 'git', 'repository']);
    assert.equal(report.status, 'error');
  });

  it('the editor\'s trust state is a check of its own, only when given', async () => {
    const root = makeRepo();
    const untrusted = await runHealthChecks({ dir: root, env: { PATH: process.env.PATH }, trusted: false });
    const trust = untrusted.checks.at(-1)!;
    assert.deepEqual([trust.id, trust.status, trust.detail], ['trust', 'warning', 'LLM and GitHub are off in this workspace (not trusted)']);
    assert.equal(untrusted.checks.find((check) => check.id === 'github')!.detail, 'off (the workspace is not trusted)');
  });

  it('the text: a status word per line, aligned, the fix indented under what is not ok, and a summary', () => {
    const report: HealthReport = {
      status: 'error',
      checkedAt: '2026-01-01T00:00:00.000Z',
      checks: [
        { id: 'node', title: 'Node', status: 'ok', detail: 'Node 22.1.0' },
        { id: 'database', title: 'Database', status: 'warning', detail: 'no database yet', fix: 'run diffwise index' },
        { id: 'llm', title: 'LLM endpoint', status: 'error', detail: 'key refused', fix: 'set a valid key' },
      ],
    };
    assert.equal(worstOf(report.checks), 'error');
    assert.equal(healthText(report), [
      'ok       Node          Node 22.1.0',
      'WARNING  Database      no database yet',
      '         fix: run diffwise index',
      'ERROR    LLM endpoint  key refused',
      '         fix: set a valid key',
      '',
      '1 error(s), 1 warning(s)',
      '',
    ].join('\n'));
  });
});

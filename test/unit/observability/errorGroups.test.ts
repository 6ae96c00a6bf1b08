import { strict as assert } from 'node:assert';
import { errorGroupsOf } from '../../../server/observability/errorGroups';
import { groupOf } from '../../../server/observability/errorFingerprint';

describe('error groups in memory (the team dashboard)', () => {
  it('groups as the SQLite store does: one fingerprint per cause, counted, first and last seen, the newest first', () => {
    const missingRef = (ref: string) => ({ stage: 'diff', errorClass: 'GitError', message: `unknown base ref: ${ref}` });
    const groups = errorGroupsOf([
      { failures: [missingRef('origin/feature-1')], at: '2026-12-01T10:00:00.000Z', runId: 'a' },
      { failures: [{ stage: 'llm', errorClass: 'LlmError', message: 'the endpoint answered 500' }], at: '2026-12-01T12:00:00.000Z', runId: 'c' },
      { failures: [missingRef('origin/main')], at: '2026-12-01T11:00:00.000Z', runId: null },
    ]);
    assert.deepEqual(groups.map((group) => [group.stage, group.count, group.firstSeen, group.lastSeen, group.exampleRunId]), [
      ['llm', 1, '2026-12-01T12:00:00.000Z', '2026-12-01T12:00:00.000Z', 'c'],
      ['diff', 2, '2026-12-01T10:00:00.000Z', '2026-12-01T11:00:00.000Z', 'a'],
    ]);
    assert.equal(groups[1]!.fingerprint, groupOf(missingRef('anything')).fingerprint);
    assert.equal(groups[1]!.example, 'unknown base ref: origin/main');
  });
});

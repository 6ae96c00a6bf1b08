/**
 * Properties of carrying lines through edits, against a reference model: the
 * document is an array of line ids, each edit changes that array, and a line
 * (a finding's, a comment's) either keeps its id at a new index or is gone.
 *
 * lineMapping.ts carries lines across a real `git diff` of the two versions;
 * liveFindings.ts, which carries findings through the LSP edits as the user types,
 * has its own property against a character model (test/unit/lsp/liveFindings.property.test.ts).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseUnifiedDiff } from '../../../server/git/diffParser';
import { oldLineToNew, oldLineToNewExact } from '../../../server/git/lineMapping';
import { cleanupRepos, gitEnv, makeTempDir } from '../../helpers/gitRepo';

/** A whole-line edit as an editor sends it: lines [from, to) replaced by `insert` new lines. */
type Edit =
  | { kind: 'insert'; at: number; count: number }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'replace'; at: number; count: number; insert: number }
  | { kind: 'replaceAll'; insert: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 4 }), insert: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('replaceAll' as const), insert: fc.integer({ min: 0, max: 4 }) }),
);

/** The edit on a document of `length` lines, as [from, to, inserted count]. */
function span(change: Edit, length: number): [number, number, number] {
  if (change.kind === 'replaceAll') return [0, length, change.insert];
  const from = change.at % (length + 1);
  if (change.kind === 'insert') return [from, from, change.count];
  const to = Math.min(length, from + change.count);
  return [from, to, change.kind === 'delete' ? 0 : change.insert];
}

/** Applies the edit to the model; new lines get fresh ids. */
function applyToModel(lines: string[], [from, to, insert]: [number, number, number], fresh: () => string): string[] {
  return [...lines.slice(0, from), ...Array.from({ length: insert }, fresh), ...lines.slice(to)];
}

describe('property: lines follow their code through edits', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('lineMapping: through a real git diff, a line that survived is found exactly, and a deleted one is never taken for another (100 runs, -U0 to -U3)', () => {
    const dir = makeTempDir('diffwise-mapping-prop-');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.array(edit, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 3 }), (length, edits, context) => {
        let next = 0;
        const fresh = () => `line ${next++}`;
        const old = Array.from({ length }, fresh);
        let lines = old;
        for (const change of edits) lines = applyToModel(lines, span(change, lines.length), fresh);
        fs.writeFileSync(path.join(dir, 'old.txt'), old.map((l) => `${l}\n`).join(''));
        fs.writeFileSync(path.join(dir, 'new.txt'), lines.map((l) => `${l}\n`).join(''));
        // A user's diff.context decides the context lines of the diffs the daemon reads: every -U must map alike.
        const run = spawnSync('git', ['diff', '--no-index', '--no-color', `-U${context}`, 'old.txt', 'new.txt'], { cwd: dir, env: gitEnv, encoding: 'utf8' });
        const [diff] = parseUnifiedDiff(run.stdout);
        if (!diff) return; // no change

        for (let oldLine = 1; oldLine <= old.length; oldLine++) {
          const at = lines.indexOf(old[oldLine - 1]);
          const expected = at < 0 ? null : at + 1;
          assert.equal(oldLineToNewExact(diff, oldLine), expected, `exact: old line ${oldLine}`);
          const near = oldLineToNew(diff, oldLine);
          if (expected !== null) assert.equal(near, expected, `nearest: old line ${oldLine} survived`);
          else assert.ok(near >= 1 && near <= Math.max(1, lines.length), `nearest: old line ${oldLine} maps inside the new file (${near})`);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('lineMapping: a line just above a -U0 insertion stays where it is (the property\'s first counterexample)', () => {
    // old: [x]; new: [top, x, below]. With -U0 git prints `@@ -0,0 +1 @@` and `@@ -1,0 +3 @@`.
    const [diff] = parseUnifiedDiff(['diff --git a/f b/f', '--- a/f', '+++ b/f', '@@ -0,0 +1 @@', '+top', '@@ -1,0 +3 @@', '+below', ''].join('\n'));
    assert.equal(oldLineToNew(diff, 1), 2);
    assert.equal(oldLineToNewExact(diff, 1), 2);
  });
});

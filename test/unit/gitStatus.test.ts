import * as assert from 'node:assert/strict';
import { parseStatus } from '../../server/git/repository';

/** `git status --porcelain=v2 -z --branch` output, one record per string. */
const output = (...records: string[]) => `${records.join('\0')}\0`;
const SHA = 'a'.repeat(40);
const Z = '0'.repeat(40);

describe('git status (porcelain v2) for the index pass', () => {
  it('reads HEAD, and none on an unborn branch', () => {
    assert.equal(parseStatus(output(`# branch.oid ${SHA}`, '# branch.head main')).head, SHA);
    assert.equal(parseStatus(output('# branch.oid (initial)', '# branch.head main')).head, null);
  });

  it('says for each path whether it is a workspace file and whether HEAD has it', () => {
    const status = parseStatus(output(
      `# branch.oid ${SHA}`,
      `1 .M N... 100644 100644 100644 ${SHA} ${SHA} src/modified file.ts`,
      `1 A. N... 000000 100644 100644 ${Z} ${SHA} src/staged.ts`,
      `1 D. N... 100644 000000 000000 ${SHA} ${Z} src/untracked again.ts`,
      '? src/untracked again.ts',
      `1 .D N... 100644 100644 000000 ${SHA} ${SHA} src/deleted.ts`,
      `1 .A N... 000000 000000 100644 ${Z} ${Z} src/intent.ts`,
      `2 R. N... 100644 100644 100644 ${SHA} ${SHA} R100 src/new name.ts`, 'src/old name.ts',
      `u UU N... 100644 100644 100644 100644 ${SHA} ${SHA} ${SHA} src/conflict.ts`,
      '? nested/repo/',
      '? src/new.ts',
    ));
    const byPath = Object.fromEntries(status.entries.map((entry) => [entry.path, [entry.inWorkspace, entry.inHead]]));
    assert.deepEqual(byPath, {
      'src/modified file.ts': [true, true],
      'src/staged.ts': [true, false],
      'src/untracked again.ts': [true, true],
      'src/deleted.ts': [true, true],
      'src/intent.ts': [true, false],
      'src/new name.ts': [true, true],
      'src/old name.ts': [false, true],
      'src/conflict.ts': [true, true],
      'src/new.ts': [true, false],
    });
  });
});

import * as assert from 'node:assert/strict';
import { branchEntries, parseBranchRefs, type BranchEntry, type BranchRef } from '../../../extension/branchItems';

const refs: BranchRef[] = [
  { name: 'feature/login', kind: 'local' },
  { name: 'main', kind: 'local' },
  { name: 'topic', kind: 'local' },
  { name: 'origin/main', kind: 'remote' },
  { name: 'origin/topic', kind: 'remote' },
];

/** The rows as a reader sees them: `--- Section` for a separator, `label (description)` for a branch. */
const shown = (entries: BranchEntry[]) => entries.map((entry) => (entry.separator ? `--- ${entry.label}` : `${entry.label} (${entry.description})`));

describe('Review Branch picker items', () => {
  it('parses full ref names, so a local branch with a slash is local, and skips the symbolic origin/HEAD', () => {
    const output = 'refs/heads/feature/login\t\nrefs/heads/main\t\nrefs/remotes/origin/HEAD\trefs/remotes/origin/main\nrefs/remotes/origin/main\t\n';
    assert.deepEqual(parseBranchRefs(output), [
      { name: 'feature/login', kind: 'local' },
      { name: 'main', kind: 'local' },
      { name: 'origin/main', kind: 'remote' },
    ]);
  });

  it('labels local and remote branches, suggests a conventional base first, and leaves the current branch out', () => {
    assert.deepEqual(shown(branchEntries({ refs, current: 'topic' })), [
      '--- Suggested',
      '$(cloud) origin/main (remote branch · default)',
      '--- Local branches',
      '$(git-branch) feature/login (local branch)',
      '$(git-branch) main (local branch)',
      '--- Remote branches',
      '$(cloud) origin/topic (remote branch)',
    ]);
  });

  it('puts the base used last first, once', () => {
    const entries = shown(branchEntries({ refs, current: 'topic', lastUsed: 'main' }));
    assert.deepEqual(entries.slice(0, 2), ['--- Suggested', '$(git-branch) main (local branch · last used)']);
    assert.equal(entries.filter((row) => row.includes(' main (')).length, 1);
    assert.ok(entries.includes('$(cloud) origin/main (remote branch)'));
  });

  it('prefers diffwise.review.defaultBase over the base used last, and offers a configured ref that is no branch', () => {
    assert.equal(shown(branchEntries({ refs, configured: 'origin/topic', lastUsed: 'main' }))[1], '$(cloud) origin/topic (remote branch · diffwise.review.defaultBase)');
    assert.equal(shown(branchEntries({ refs, configured: 'v1.2.0' }))[1], '$(git-commit) v1.2.0 (ref · diffwise.review.defaultBase)');
  });

  it('never suggests the current branch as its own base, even when it was used last', () => {
    const entries = branchEntries({ refs, current: 'main', lastUsed: 'main' });
    assert.ok(!entries.some((entry) => !entry.separator && entry.ref === 'main'));
    assert.equal(shown(entries)[1], '$(cloud) origin/main (remote branch · default)');
  });

  it('on a detached HEAD offers every branch; with no branches at all, nothing but a remembered ref', () => {
    assert.equal(branchEntries({ refs }).filter((entry) => !entry.separator).length, refs.length);
    assert.deepEqual(branchEntries({ refs: [] }), []);
    assert.deepEqual(shown(branchEntries({ refs: [], lastUsed: 'abc123' })), ['--- Suggested', '$(git-commit) abc123 (ref · last used)']);
  });
});

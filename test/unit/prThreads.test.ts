import * as assert from 'node:assert/strict';
import type { PrComment } from '../../shared/github';
import { groupThreads, localLines, suggestionOf } from '../../extension/prThreads';

let clock = 0;
function comment(id: number, overrides: Partial<PrComment> = {}): PrComment {
  return {
    id, threadId: null, path: 'src/a.ts', line: 3, startLine: null, side: 'RIGHT', localLine: 5, outdated: false, author: 'alice', body: 'b',
    createdAt: new Date(Date.UTC(2026, 10, 1, 0, 0, clock++)).toISOString(), updatedAt: '', inReplyTo: null, resolved: false, url: '', commitId: 'c', ...overrides,
  };
}

describe('pull-request threads in the editor', () => {
  it('groups replies (to replies too) under their first comment, and orphans by thread id', () => {
    const root = comment(1, { threadId: 'T1' });
    const reply = comment(2, { inReplyTo: 1, threadId: 'T1' });
    const replyToReply = comment(3, { inReplyTo: 2 });
    const orphan = comment(4, { inReplyTo: 99, threadId: 'T1' });
    const other = comment(5, { threadId: 'T2', localLine: null, outdated: true, resolved: true });
    const threads = groupThreads([other, replyToReply, root, reply, orphan]);
    assert.deepEqual(threads.map((thread) => [thread.root.id, thread.comments.map((c) => c.id), thread.threadId]), [[1, [1, 2, 3, 4], 'T1'], [5, [5], 'T2']]);
    assert.deepEqual([threads[1].lines, threads[1].resolved], [null, true], 'an outdated thread has no lines');
  });

  it('spans a multi-line comment over as many lines as at the PR head', () => {
    assert.deepEqual(localLines(comment(1, { startLine: 2, line: 4, localLine: 10 })), { start: 8, end: 10 });
    assert.equal(localLines(comment(1, { localLine: null })), null);
  });

  it('reads a suggestion block: lines, an empty one (delete), none', () => {
    assert.deepEqual(suggestionOf('Try:\n```suggestion\nconst a = 1;\nconst b = 2;\n```\n'), ['const a = 1;', 'const b = 2;']);
    assert.deepEqual(suggestionOf('```suggestion\n```'), []);
    assert.equal(suggestionOf('```ts\nconst a = 1;\n```'), undefined);
  });
});

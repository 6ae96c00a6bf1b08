/**
 * The bad-input suite, vote journal: the file beside the database that every
 * vote is appended to before it is stored. A crash mid-append, junk, a journal
 * from an earlier version, a folder or an immutable file in its place: each
 * through the built CLI, asserting the exit code, the one line the user reads
 * and that no complete vote is lost (the database is deleted, and the votes
 * must come back from the journal).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { FeedbackRecord } from '../../../shared/feedback';
import type { ReviewDocument } from '../../../shared/review';
import { expectNoLeak, expectOneLineFailure } from '../../helpers/badInput';
import { runCli, runCliJson } from '../../helpers/cli';
import { cleanupRepos, commitAll, makeRepo, makeTempDir, write } from '../../helpers/gitRepo';

/** A repository with three debug leftovers uncommitted, and its own database (and so journal) path. */
function fixture(): { repo: string; env: NodeJS.ProcessEnv; db: string; journal: string; findings: string[] } {
  const repo = makeRepo();
  write(repo, 'README.md', '# app\n');
  commitAll(repo, 'initial');
  write(repo, 'src/app.js', 'console.log("one");\ndebugger;\nconsole.log("three");\n');
  const db = `${makeTempDir()}/diffwise.db`;
  const env = { DIFFWISE_DB: db };
  const document = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never'], env).json;
  assert.equal(document.findings.length, 3);
  return { repo, env, db, journal: `${db}.votes.jsonl`, findings: document.findings.map((finding) => finding.id) };
}

type Fixture = ReturnType<typeof fixture>;

function vote(f: Fixture, id: string, kind: 'up' | 'down'): void {
  const result = runCli(f.repo, ['feedback', id, `--${kind}`], f.env);
  assert.equal(result.code, 0, result.stderr);
  expectNoLeak(result.stderr);
}

/** Deletes the database, then lists the votes, which can now only come from the journal. */
function listFromJournal(f: Fixture): { votes: Array<[string, string]>; stderr: string } {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(f.db + suffix, { force: true });
  const list = runCliJson<FeedbackRecord[]>(f.repo, ['feedback', '--list', '--json'], f.env);
  assert.equal(list.code, 0, list.stderr);
  expectNoLeak(list.stderr);
  return { votes: list.json.map((record) => [record.findingId, record.vote]), stderr: list.stderr };
}

describe('bad input: the vote journal', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('a vote cast after a crash tore the last line is kept, and so is every vote before it', () => {
    const f = fixture();
    vote(f, f.findings[0], 'down');
    // A crash halfway through appending the second vote: half a record, no newline.
    const record = fs.readFileSync(f.journal, 'utf8').trimEnd().replace(f.findings[0], f.findings[1]);
    fs.appendFileSync(f.journal, record.slice(0, record.length >> 1));
    vote(f, f.findings[2], 'up');

    const listed = listFromJournal(f);
    assert.deepEqual(listed.votes, [[f.findings[0], 'down'], [f.findings[2], 'up']]);
    assert.match(listed.stderr, /restored 2 vote/);
    assert.match(listed.stderr, /the vote journal .*votes\.jsonl had 1 unreadable line \(a write cut short by a crash, or damage\); every complete vote was kept/);
  });

  it('a journal of binary junk and a NUL-filled tail loses none of the votes around it', () => {
    const f = fixture();
    vote(f, f.findings[0], 'up');
    fs.appendFileSync(f.journal, Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x22, 0x0a, 0x81, 0x80, 0x0a, 0xc3]));
    vote(f, f.findings[1], 'down');
    fs.appendFileSync(f.journal, Buffer.alloc(8192));
    vote(f, f.findings[2], 'up');

    const listed = listFromJournal(f);
    assert.deepEqual(listed.votes, [[f.findings[0], 'up'], [f.findings[1], 'down'], [f.findings[2], 'up']]);
    // Three lines of junk (it held two newlines), then the NUL tail.
    assert.match(listed.stderr, /had 4 unreadable lines/);
  });

  it('a journal that was nothing but junk from the start still takes new votes', () => {
    const f = fixture();
    fs.writeFileSync(f.journal, Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)));
    vote(f, f.findings[1], 'down');
    assert.deepEqual(listFromJournal(f).votes, [[f.findings[1], 'down']]);
  });

  it('the bare vote lines an earlier version wrote are replayed', () => {
    const f = fixture();
    vote(f, f.findings[0], 'down');
    vote(f, f.findings[1], 'up');
    // What the journal held before records carried a checksum: the vote object alone.
    const bare = fs.readFileSync(f.journal, 'utf8').split('\n').filter(Boolean).map((line) => JSON.stringify((JSON.parse(line) as { vote: unknown }).vote));
    fs.writeFileSync(f.journal, `${bare.join('\n')}\n`);

    assert.deepEqual(listFromJournal(f).votes, [[f.findings[0], 'down'], [f.findings[1], 'up']]);
  });

  it('a folder where the journal should be: one clear line, exit 2, and the votes already stored are kept', () => {
    const f = fixture();
    vote(f, f.findings[0], 'up');
    const aside = `${f.journal}.aside`;
    fs.renameSync(f.journal, aside);
    fs.mkdirSync(f.journal);

    expectOneLineFailure(runCli(f.repo, ['feedback', f.findings[1], '--down'], f.env), { code: 2, message: /cannot read the vote journal .*votes\.jsonl: it is a folder/ });
    fs.rmdirSync(f.journal);
    const stored = runCliJson<FeedbackRecord[]>(f.repo, ['feedback', '--list', '--json'], f.env).json;
    assert.deepEqual(stored.map((record) => [record.findingId, record.vote]), [[f.findings[0], 'up']], 'the failed vote was not recorded');
    fs.renameSync(aside, f.journal);
    assert.deepEqual(listFromJournal(f).votes, [[f.findings[0], 'up']]);
  });

  it('an immutable journal: the vote is refused in one clear line, exit 2, and nothing is stored that the journal lacks', function () {
    const f = fixture();
    vote(f, f.findings[0], 'down');
    // Tests run as root, where chmod 000 stops nothing; the immutable attribute stops root too.
    if (spawnSync('chattr', ['+i', f.journal]).status !== 0) this.skip();
    try {
      expectOneLineFailure(runCli(f.repo, ['feedback', f.findings[1], '--up'], f.env), { code: 2, message: /cannot write the vote journal .*votes\.jsonl: permission denied; no vote was recorded/ });
    } finally {
      spawnSync('chattr', ['-i', f.journal]);
    }
    const stored = runCliJson<FeedbackRecord[]>(f.repo, ['feedback', '--list', '--json'], f.env).json;
    assert.deepEqual(stored.map((record) => [record.findingId, record.vote]), [[f.findings[0], 'down']]);
    assert.deepEqual(listFromJournal(f).votes, [[f.findings[0], 'down']]);
  });
});

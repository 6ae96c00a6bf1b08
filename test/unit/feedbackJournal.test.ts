import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StoreError } from '../../server/store/database';
import { skippedLinesNotice } from '../../server/store/feedbackStore';
import { encodeRecord } from '../../server/store/voteJournal';
import { cleanupRepos, makeTempDir } from '../helpers/gitRepo';
import { makeVote, openStore, replayIntoFreshDatabase } from './property/votes';

describe('the vote journal', () => {
  let dir: string;
  let journal: string;
  let n = 0;
  beforeEach(() => {
    dir = makeTempDir('diffwise-journal-');
    journal = path.join(dir, 'diffwise.db.votes.jsonl');
  });
  after(cleanupRepos);

  /** Records `votes` through a store of its own, as one CLI run would. */
  const record = (...votes: ReturnType<typeof makeVote>[]) => {
    const { store, db } = openStore(dir, `live-${n++}`, journal);
    for (const vote of votes) store.record(vote);
    db.close();
  };
  const replayedIds = () => replayIntoFreshDatabase(dir, `fresh-${n++}`, journal).votes.map((vote) => vote.id);

  it('writes one checksummed record per line, in a file only its owner can read', () => {
    record(makeVote('a'), makeVote('b'));
    const lines = fs.readFileSync(journal, 'utf8').split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    for (const line of lines.slice(0, 2)) assert.match(line, /^\{"v":1,"sum":"[0-9a-f]{16}","vote":\{"id":"[ab]",.*\}\}$/);
    assert.equal(fs.statSync(journal).mode & 0o777, 0o600);
    assert.deepEqual(replayedIds(), ['a', 'b']);
  });

  it('starts the next vote on a fresh line after a torn last line, so that vote is not lost', () => {
    record(makeVote('a'));
    const torn = encodeRecord(makeVote('torn'));
    fs.appendFileSync(journal, torn.slice(0, torn.length >> 1));
    record(makeVote('b'));

    const text = fs.readFileSync(journal, 'utf8');
    assert.equal(text.split('\n').length, 4, 'the torn line stays alone on its line');
    const replay = replayIntoFreshDatabase(dir, 'fresh', journal);
    assert.deepEqual(replay.votes.map((vote) => vote.id), ['a', 'b']);
    assert.equal(replay.skipped, 1);
    assert.equal(replay.restored, 2);
  });

  it('keeps a record torn just before its newline: the vote itself is whole', () => {
    const whole = encodeRecord(makeVote('a'));
    fs.writeFileSync(journal, whole.slice(0, -1));
    record(makeVote('b'));
    assert.deepEqual(replayedIds(), ['a', 'b']);
  });

  it('rejects a record that still parses but whose vote was changed', () => {
    const good = encodeRecord(makeVote('a'));
    const flipped = encodeRecord(makeVote('b')).replace('"vote":"up"', '"vote":"down"');
    fs.writeFileSync(journal, good + flipped);
    const replay = replayIntoFreshDatabase(dir, 'fresh', journal);
    assert.deepEqual(replay.votes.map((vote) => vote.id), ['a']);
    assert.equal(replay.skipped, 1);
  });

  it('replays the bare vote lines earlier versions wrote, with their optional fields filled in', () => {
    const { origin: _origin, reason: _reason, code: _code, ...oldest } = makeVote('old');
    fs.writeFileSync(journal, `${JSON.stringify(makeVote('plain', { vote: 'down', reason: 'noise' }))}\n${JSON.stringify(oldest)}\n`);
    record(makeVote('new'));
    const replay = replayIntoFreshDatabase(dir, 'fresh', journal);
    assert.deepEqual(replay.votes.map((vote) => [vote.id, vote.vote, vote.reason, vote.origin, vote.code]), [
      ['plain', 'down', 'noise', 'local', 'console.log(x);'],
      ['old', 'up', null, 'local', ''],
      ['new', 'up', null, 'local', 'console.log(x);'],
    ]);
    assert.equal(replay.skipped, 0);
  });

  it('skips garbage of every kind without throwing and counts each unreadable line', () => {
    const junk = [
      Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x7b, 0x22]), // binary
      Buffer.from('{"v":1,"sum":"0123456789abcdef","vote":{"id":"x"}}'), // checksum of something else
      Buffer.from('{"id":"half a vote","vote":"up"}'), // JSON, not a whole vote
      Buffer.from(`{"id":"bad-utf8","findingId":"\xff"}`, 'latin1'), // invalid UTF-8
      Buffer.from(JSON.stringify(makeVote('wrong-type', { line: 'three' as unknown as number }))),
      Buffer.from(JSON.stringify(makeVote('bad-vote', { vote: 'maybe' as 'up' }))),
      Buffer.from('[1,2,3]'),
      Buffer.from('null'),
      Buffer.from('x'.repeat(5_000_000)), // a huge line
    ];
    const parts = [Buffer.from(encodeRecord(makeVote('a')))];
    for (const line of junk) parts.push(line, Buffer.from('\n'));
    parts.push(Buffer.from('\n \r\n'), Buffer.from(encodeRecord(makeVote('b'))), Buffer.alloc(4096)); // blank lines, then a NUL-filled tail
    fs.writeFileSync(journal, Buffer.concat(parts));

    record(makeVote('c'));
    const replay = replayIntoFreshDatabase(dir, 'fresh', journal);
    assert.deepEqual(replay.votes.map((vote) => vote.id), ['a', 'b', 'c']);
    assert.equal(replay.skipped, junk.length + 1);
  });

  it('still replays a journal whose line ends were converted to CRLF', () => {
    fs.writeFileSync(journal, (encodeRecord(makeVote('a')) + encodeRecord(makeVote('b'))).replace(/\n/g, '\r\n'));
    assert.deepEqual(replayedIds(), ['a', 'b']);
  });

  it('puts back only what the table lacks, as often as it is opened', () => {
    const { store, db } = openStore(dir, 'live', journal);
    store.record(makeVote('a'));
    assert.equal(store.replayJournal(), 0);
    db.prepare('DELETE FROM feedback').run();
    assert.equal(store.replayJournal(), 1);
    assert.deepEqual(store.lastReplay, { restored: 1, skipped: 0 });
    db.close();
  });

  it('says clearly, and records nothing, when the journal is a folder', () => {
    fs.mkdirSync(journal);
    const { store, db } = openStore(dir, 'live', journal);
    assert.throws(() => store.replayJournal(), (error: Error) => error instanceof StoreError && /cannot read the vote journal .*: it is a folder/.test(error.message));
    assert.throws(() => store.record(makeVote('a')), (error: Error) => error instanceof StoreError && /cannot write the vote journal .*: it is a folder; no vote was recorded/.test(error.message));
    assert.deepEqual(store.all(), [], 'a vote that could not be journalled is not stored either');
    db.close();
  });

  it('has a notice for the front ends to print', () => {
    assert.equal(skippedLinesNotice('/r/.git/diffwise/diffwise.db.votes.jsonl', 1),
      'the vote journal /r/.git/diffwise/diffwise.db.votes.jsonl had 1 unreadable line (a write cut short by a crash, or damage); every complete vote was kept');
    assert.match(skippedLinesNotice('j', 3), /had 3 unreadable lines/);
  });
});

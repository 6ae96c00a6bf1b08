/**
 * Properties of the vote journal: whatever a crash does to the file's tail (or
 * anywhere, for a truncation), replay into a fresh database gives back every
 * vote whose line was whole, nothing else, and never throws.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StoredVote } from '../../../server/learning/policy';
import { decodeJournal, encodeRecord } from '../../../server/store/voteJournal';
import { cleanupRepos, makeTempDir } from '../../helpers/gitRepo';
import { makeVote, openStore, replayIntoFreshDatabase } from './votes';

const text = fc.string({ unit: 'binary', maxLength: 40 });
/** A vote's fields with strings that need escaping: quotes, newlines, NULs, non-BMP characters. */
const voteFields = fc.record({
  vote: fc.constantFrom('up' as const, 'down' as const, 'clear' as const),
  reason: fc.option(text, { nil: null }),
  message: text,
  code: text,
  file: text,
  line: fc.integer({ min: 1, max: 100_000 }),
  severity: fc.constantFrom('error' as const, 'warning' as const, 'info' as const),
});

/** Junk a crash or a disk can leave: random bytes, or the NUL fill some filesystems show after a crash. */
const junk = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 600 }).map((n) => new Uint8Array(n)));

type Step =
  | { kind: 'append'; votes: Array<Partial<StoredVote>>; batch: boolean }
  | { kind: 'truncate'; at: number }
  | { kind: 'tearLast'; at: number }
  | { kind: 'junk'; bytes: Uint8Array };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('append' as const), votes: fc.array(voteFields, { minLength: 1, maxLength: 3 }), batch: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tearLast' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('junk' as const), bytes: junk }) },
);

/** Where a vote's line ends (just past its newline) and whether it is still whole. */
interface Written { vote: StoredVote; end: number; state: 'whole' | 'newline-lost' | 'gone' }

describe('property: the vote journal survives crashes', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('replays exactly the votes whose lines are whole, whatever was cut or appended (100 runs)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => {
        const dir = makeTempDir('diffwise-journal-prop-');
        const journal = path.join(dir, 'diffwise.db.votes.jsonl');
        const { store, db } = openStore(dir, 'live', journal);
        const written: Written[] = [];
        const size = () => (fs.existsSync(journal) ? fs.statSync(journal).size : 0);
        let lastAppendStart = -1;
        let cast = 0;
        try {
          for (const current of steps) {
            if (current.kind === 'append') {
              const votes = current.votes.map((fields) => makeVote(`v${cast++}`, fields));
              lastAppendStart = size();
              if (current.batch) store.importVotes(votes);
              else for (const vote of votes) store.record(vote);
              const bytes = fs.readFileSync(journal);
              for (const vote of votes) {
                const at = bytes.indexOf(encodeRecord(vote), lastAppendStart);
                assert.ok(at >= 0, 'every vote is journalled whole');
                written.push({ vote, end: at + Buffer.byteLength(encodeRecord(vote)), state: 'whole' });
              }
            } else if (current.kind === 'junk') {
              fs.appendFileSync(journal, current.bytes);
            } else {
              const from = current.kind === 'tearLast' ? lastAppendStart : 0;
              if (from < 0 || !fs.existsSync(journal)) continue;
              const cut = from + (current.at % (size() - from + 1));
              fs.truncateSync(journal, cut);
              for (const entry of written) {
                // A line cut just before its newline still holds the whole vote: replay may keep it.
                if (entry.state === 'whole' && entry.end <= cut) continue;
                entry.state = (entry.state !== 'gone' && entry.end - 1 <= cut) ? 'newline-lost' : 'gone';
              }
            }
          }
        } finally {
          db.close();
        }
        if (!fs.existsSync(journal)) return;

        const replay = replayIntoFreshDatabase(dir, 'fresh', journal);
        const replayed = new Map(replay.votes.map((vote) => [vote.id, vote]));
        for (const entry of written) {
          if (entry.state === 'whole') assert.ok(replayed.has(entry.vote.id), `whole vote ${entry.vote.id} lost`);
          if (entry.state === 'gone') assert.ok(!replayed.has(entry.vote.id), `cut vote ${entry.vote.id} came back`);
          if (replayed.has(entry.vote.id)) assert.deepEqual(replayed.get(entry.vote.id), entry.vote, 'replayed exactly as cast');
        }
        assert.equal(replayed.size, written.filter((entry) => replayed.has(entry.vote.id)).length, 'no vote from nowhere');
        if (steps.every((s) => s.kind === 'append')) assert.equal(replay.skipped, 0);
      }),
      { numRuns: 100 },
    );
  });

  it('decodes any mix of records, old bare votes, junk and blank lines without throwing (300 runs)', () => {
    const line = fc.oneof(
      voteFields.map((fields) => ({ kind: 'record' as const, vote: makeVote('r', fields) })),
      voteFields.map((fields) => ({ kind: 'bare' as const, vote: makeVote('b', fields) })),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'junk' as const, bytes: Buffer.from(bytes.filter((byte) => byte !== 0x0a)) })),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.boolean(), (lines, finalNewline) => {
        const bytes = lines.map((entry) => (entry.kind === 'junk' ? entry.bytes : Buffer.from(entry.kind === 'record' ? encodeRecord(entry.vote).slice(0, -1) : JSON.stringify(entry.vote))));
        const file = Buffer.concat(bytes.flatMap((b, i) => (i < bytes.length - 1 || finalNewline ? [b, Buffer.from('\n')] : [b])));
        const decoded = decodeJournal(file);
        const votes = lines.flatMap((entry) => (entry.kind === 'junk' ? [] : [entry.vote]));
        assert.deepEqual(decoded.votes, votes);
        const blank = (b: Buffer) => b.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0d);
        assert.equal(decoded.skipped, lines.filter((entry) => entry.kind === 'junk' && !blank(entry.bytes)).length);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a record with any one byte changed, never replaying a different vote (1000 runs)', () => {
    fc.assert(
      fc.property(voteFields, fc.nat(), fc.integer({ min: 1, max: 255 }), (fields, position, xor) => {
        const record = Buffer.from(encodeRecord(makeVote('x', fields)).slice(0, -1));
        const at = position % record.length;
        record[at] ^= xor;
        assert.deepEqual(decodeJournal(record).votes, []);
      }),
      { numRuns: 1000 },
    );
  });
});

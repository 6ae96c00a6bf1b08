/**
 * The vote journal's file format: one record per line, each carrying a checksum
 * of the vote it holds, appended (fsync'd) before the vote reaches SQLite.
 *
 *   {"v":1,"sum":"<16 hex: sha256 of the vote JSON>","vote":{…}}
 *
 * The checksum is over the vote's JSON bytes exactly as written, so a line that
 * still parses after a bit flip or a splice is rejected rather than replayed
 * wrong. Lines written before checksums (a bare vote object) still replay. A
 * crash mid-append leaves a torn last line without its newline; the next append
 * starts on a fresh line, so that tear never swallows a later, complete vote.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import type { StoredVote } from '../learning/policy';

const RECORD_PREFIX = Buffer.from('{"v":1,"sum":"');
const VOTE_PREFIX = Buffer.from('","vote":');
const SUM_LENGTH = 16;
const NEWLINE = 0x0a;

/**
 * What a vote must hold to go back into the table: every column the insert
 * names. `origin`, `reason` and `code` were optional in the first journals.
 * Severity, source and origin stay plain strings so that a vote written by a
 * newer Diffwise still replays in an older one.
 */
const voteSchema = lazySchema(() => z.object({
  id: z.string(),
  findingId: z.string(),
  vote: z.enum(['up', 'down', 'clear']),
  reason: z.string().nullable().optional(),
  ruleId: z.string(),
  category: z.string(),
  source: z.string(),
  severity: z.string(),
  file: z.string(),
  line: z.int(),
  message: z.string(),
  code: z.string().optional(),
  codeFingerprint: z.string(),
  messageFingerprint: z.string(),
  createdAt: z.string(),
  origin: z.string().optional(),
}));

/** The journal's lines as votes, and how many non-blank lines were not a readable vote. */
export interface JournalContents {
  votes: StoredVote[];
  skipped: number;
}

/** One journal line (with its newline) for `vote`. */
export function encodeRecord(vote: StoredVote): string {
  const json = JSON.stringify(vote);
  return `{"v":1,"sum":"${checksum(Buffer.from(json, 'utf8'))}","vote":${json}}\n`;
}

/**
 * Appends `votes` to the journal at `file` (created 0600) and fsyncs it. When
 * the file does not end with a newline (a torn last line), the records start
 * on a fresh line.
 */
export function appendRecords(file: string, votes: readonly StoredVote[]): void {
  if (!votes.length) return;
  // a+ rather than a: the last byte has to be read to know whether a tear needs closing.
  const fd = fs.openSync(file, 'a+', 0o600);
  try {
    const size = fs.fstatSync(fd).size;
    let text = votes.map(encodeRecord).join('');
    if (size > 0) {
      const last = Buffer.alloc(1);
      fs.readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== NEWLINE) text = `\n${text}`;
    }
    const bytes = Buffer.from(text, 'utf8');
    // O_APPEND puts every write at the end; a short write is continued, not dropped.
    for (let written = 0; written < bytes.length;) written += fs.writeSync(fd, bytes, written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads every vote in the journal bytes. Never throws: binary junk, a NUL-filled
 * tail, invalid UTF-8, a line that is JSON but not a vote, and a record whose
 * checksum does not match are each one skipped line.
 */
export function decodeJournal(bytes: Buffer): JournalContents {
  const votes: StoredVote[] = [];
  let skipped = 0;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    const line = bytes.subarray(start, end);
    start = end + 1;
    if (isBlank(line)) continue;
    const vote = decodeLine(line);
    if (vote) votes.push(vote);
    else skipped++;
  }
  return { votes, skipped };
}

function decodeLine(raw: Buffer): StoredVote | undefined {
  // A journal passed through a CRLF conversion is still the same journal.
  const line = raw[raw.length - 1] === 0x0d ? raw.subarray(0, -1) : raw;
  if (line.subarray(0, RECORD_PREFIX.length).equals(RECORD_PREFIX)) return decodeRecord(line);
  // A line from before checksums: a bare vote object.
  return toVote(parseJson(line));
}

function decodeRecord(line: Buffer): StoredVote | undefined {
  const sumEnd = RECORD_PREFIX.length + SUM_LENGTH;
  const sum = line.subarray(RECORD_PREFIX.length, sumEnd).toString('latin1');
  const voteStart = sumEnd + VOTE_PREFIX.length;
  if (line.length <= voteStart || line[line.length - 1] !== 0x7d /* } */) return undefined;
  if (!line.subarray(sumEnd, voteStart).equals(VOTE_PREFIX)) return undefined;
  const json = line.subarray(voteStart, line.length - 1);
  if (checksum(json) !== sum) return undefined;
  return toVote(parseJson(json));
}

function parseJson(bytes: Buffer): unknown {
  try {
    // fatal: invalid UTF-8 is damage, not text to replace with U+FFFD and keep.
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

function toVote(json: unknown): StoredVote | undefined {
  const parsed = voteSchema().safeParse(json);
  if (!parsed.success) return undefined;
  const vote = parsed.data;
  return { ...vote, reason: vote.reason ?? null, code: vote.code ?? '', origin: vote.origin ?? 'local' } as StoredVote;
}

function checksum(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, SUM_LENGTH);
}

function isBlank(line: Buffer): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}

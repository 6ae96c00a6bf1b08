/**
 * No secret at rest. What the store keeps of the user's code (the lines a vote
 * was about, the code of recent findings) is redacted before it is written, by
 * the same detectors that redact LLM prompts; the index keeps signatures with
 * token-like literals elided (index/extractor.ts).
 *
 * Databases written before that (schema < 7) are rewritten once: migration 7
 * sets a marker, and `redactStoredSecrets` (run when the workspace opens) redacts
 * the stored code of every vote and recent finding and rewrites the vote journal,
 * then clears the marker. It rewrites, never drops: every vote keeps its row and
 * its journal record, only secrets in its `code` become `[REDACTED]`. A crash
 * half-way leaves the marker set, and the next open does it again.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Db } from './database';
import type { StoredVote } from '../learning/policy';
import { encodeRecord } from './voteJournal';

/** Replaces the secrets in a text (the detectors of review/secrets). */
export type Redact = (text: string) => Promise<string>;

const MARKER = 'redact-at-rest';

/**
 * Between texts redacted in one pass. Nothing a detector matches spans it (it is
 * a NUL between blank lines), and when the count of parts comes back wrong the
 * texts are redacted one by one instead.
 */
const SEPARATOR = '\n\n\u0000\n\n';

/** Each text redacted; one pass of the detectors for all of them where possible. */
export async function redactAll(texts: readonly string[], redact: Redact): Promise<string[]> {
  const indexes = texts.flatMap((text, i) => (text.trim() ? [i] : []));
  if (!indexes.length) return [...texts];
  const joined = await redact(indexes.map((i) => texts[i]).join(SEPARATOR));
  let parts = joined.split(SEPARATOR);
  if (parts.length !== indexes.length) parts = await Promise.all(indexes.map((i) => redact(texts[i])));
  const out = [...texts];
  indexes.forEach((index, k) => (out[index] = parts[k]));
  return out;
}

/** Where `remembered` keeps a redaction: a store of strings by key (the review cache's). */
export interface RedactionMemo {
  get(key: string): string | undefined;
  put(key: string, redacted: string): void;
}

/**
 * `redact`, remembered by a hash of the text under `version` (what decides the detectors'
 * answer). An unchanged branch re-reviewed keeps the findings it kept last time, on the same
 * code: redacting that code again loads secretlint and runs every detector (about 15 ms of a
 * re-review that is otherwise all cache hits) for the answer the last review already had.
 * The memo holds the redacted text, never the clear one, and only a hash of the clear one,
 * as the review cache keeps a hash of a finding's line.
 */
export function remembered(redact: Redact, memo: RedactionMemo, version: string): Redact {
  return async (text) => {
    const key = `redact:${version}:${createHash('sha256').update(text).digest('hex')}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const redacted = await redact(text);
    memo.put(key, redacted);
    return redacted;
  };
}

/** Whether this database still holds code written before it was redacted at rest. */
export function needsAtRestRedaction(db: Db): boolean {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(MARKER) as { value: string } | undefined)?.value === 'pending';
}

/**
 * The one-time rewrite of migration 7 (see the header). `votes` are every stored
 * vote (after the journal was replayed); returns how many votes and recent
 * findings had a secret redacted, or null when there was nothing to do.
 */
export async function redactStoredSecrets(db: Db, votes: readonly StoredVote[], journalPath: string, redact: Redact): Promise<{ votes: number; findings: number } | null> {
  if (!needsAtRestRedaction(db)) return null;
  const voteCodes = await redactAll(votes.map((vote) => vote.code), redact);
  const recent = db.prepare('SELECT finding_id AS id, finding, code FROM recent_findings').all() as Array<{ id: string; finding: string; code: string }>;
  const recentCodes = await redactAll(recent.map((row) => row.code), redact);
  // A finding's suggestion is code too: redacted in the same single pass as the rest.
  const parsed = recent.map((row) => JSON.parse(row.finding) as { suggestion?: string | null });
  const suggestions = await redactAll(parsed.map((finding) => (typeof finding.suggestion === 'string' ? finding.suggestion : '')), redact);
  const recentFindings = recent.map((row, i) => (suggestions[i] === (parsed[i].suggestion ?? '') ? row.finding : JSON.stringify({ ...parsed[i], suggestion: suggestions[i] })));

  const redactedVotes = votes.map((vote, i) => ({ ...vote, code: voteCodes[i] }));
  // The journal first: once it is rewritten, a crash before the database commits only means doing it again.
  if (fs.existsSync(journalPath)) rewriteJournal(journalPath, redactedVotes);
  let changedVotes = 0;
  let changedFindings = 0;
  db.transaction(() => {
    const updateVote = db.prepare('UPDATE feedback SET code = ? WHERE id = ?');
    votes.forEach((vote, i) => {
      if (voteCodes[i] !== vote.code) changedVotes += updateVote.run(voteCodes[i], vote.id).changes;
    });
    const updateFinding = db.prepare('UPDATE recent_findings SET code = ?, finding = ? WHERE finding_id = ?');
    recent.forEach((row, i) => {
      if (recentCodes[i] !== row.code || recentFindings[i] !== row.finding) changedFindings += updateFinding.run(recentCodes[i], recentFindings[i], row.id).changes;
    });
    db.prepare('DELETE FROM meta WHERE key = ?').run(MARKER);
  })();
  return { votes: changedVotes, findings: changedFindings };
}

/**
 * Replaces the journal with one record per vote, atomically: written beside it,
 * fsync'd, then renamed over it, so that a crash leaves either the old journal
 * or the new one, never a mix.
 */
function rewriteJournal(journalPath: string, votes: readonly StoredVote[]): void {
  const temporary = path.join(path.dirname(journalPath), `.${path.basename(journalPath)}.rewrite-${process.pid}`);
  const fd = fs.openSync(temporary, 'w', 0o600);
  try {
    const bytes = Buffer.from(votes.map(encodeRecord).join(''), 'utf8');
    for (let written = 0; written < bytes.length;) written += fs.writeSync(fd, bytes, written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, journalPath);
}

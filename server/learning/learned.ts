/**
 * What has been learned, as `diffwise learned` shows it, and the team file
 * (`.diffwise/learned.json`) it travels in: every vote with what it was about,
 * its code redacted the way a prompt is, so that committing it leaks no secret.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LearnedDocument, LearnedFile, LearningSettings } from '../../shared/feedback';
import { redactForLlm } from '../llm/redaction';
import { currentVotes, ruleVerdicts, type StoredVote } from './policy';
import { fileErrorText } from '../fileErrors';

/** Where `--export` and `--import` read and write by default, relative to the repository. */
export const LEARNED_FILE = path.join('.diffwise', 'learned.json');

export function learnedDocument(votes: readonly StoredVote[], settings: LearningSettings): LearnedDocument {
  const current = currentVotes(votes);
  const rules = [...ruleVerdicts(current, settings).values()].sort((a, b) => b.down - a.down || a.ruleId.localeCompare(b.ruleId));
  const suppressions = current
    .filter((vote) => vote.vote === 'down')
    .map((vote) => ({ findingId: vote.findingId, ruleId: vote.ruleId, file: vote.file, line: vote.line, message: vote.message, reason: vote.reason, votedAt: vote.createdAt, origin: vote.origin }));
  const llmVotes = current.filter((vote) => vote.source === 'llm' || vote.source === 'pull-request');
  return {
    settings,
    rules,
    suppressions,
    examples: { accepted: llmVotes.filter((vote) => vote.vote === 'up').length, rejected: llmVotes.filter((vote) => vote.vote === 'down').length },
  };
}

/** Writes every vote (history included: a `clear` must travel too) to `file`; returns how many. */
export async function exportLearned(votes: readonly StoredVote[], file: string): Promise<number> {
  const exported: LearnedFile['votes'] = [];
  for (const { origin: _origin, ...vote } of votes) exported.push({ ...vote, code: (await redactForLlm(vote.code)).text });
  const document: LearnedFile = { diffwise: 'learned', version: 1, exportedAt: new Date().toISOString(), votes: exported };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written whole then renamed: a teammate's import never reads half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(document, null, 2)}\n`);
  fs.renameSync(temporary, file);
  return exported.length;
}

/** The votes in a team file, marked `imported`; throws a one-line error for a file that is not one. */
export function readLearnedFile(file: string): StoredVote[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${fileErrorText(error)}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // The parser's message quotes what it choked on, which may be binary: say where, not what.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new Error(`Cannot read ${file}: it is not JSON${at ? ` (the parser stopped at character ${at})` : ''}; it should be a file written by diffwise learned export`, { cause: error });
  }
  const document = json as Partial<LearnedFile>;
  if (document?.diffwise !== 'learned' || document.version !== 1 || !Array.isArray(document.votes)) {
    throw new Error(`${file} is not a Diffwise learned file (expected {"diffwise": "learned", "version": 1, "votes": [...]})`);
  }
  return document.votes.flatMap((vote, index) => {
    const valid = typeof vote?.id === 'string' && typeof vote.findingId === 'string' && ['up', 'down', 'clear'].includes(vote.vote)
      && typeof vote.ruleId === 'string' && typeof vote.file === 'string' && typeof vote.codeFingerprint === 'string'
      && typeof vote.messageFingerprint === 'string' && typeof vote.message === 'string' && typeof vote.createdAt === 'string';
    if (!valid) throw new Error(`${file}: vote ${index + 1} is incomplete`);
    return [{
      ...vote, reason: vote.reason ?? null, category: vote.category ?? vote.ruleId, source: vote.source ?? 'static',
      severity: vote.severity ?? 'warning', line: vote.line ?? 1, code: vote.code ?? '', origin: 'imported' as const,
    }];
  });
}

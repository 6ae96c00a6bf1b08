/**
 * What a vote remembers about a finding so that "the same finding on the same
 * code" can be recognised later, after lines moved or the review was re-run:
 * the code it points at and its message, each reduced to a short hash that
 * ignores whitespace (and, for messages, case).
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../../shared/review';

/** Votes and examples keep at most this much of a finding's code. */
const MAX_CODE_CHARS = 2000;

/** A finding with the code it points at and both fingerprints. */
export interface FingerprintedFinding {
  finding: Finding;
  code: string;
  codeFingerprint: string;
  messageFingerprint: string;
}

/** The finding's lines of `text` (trimmed), or its symbol when the lines are gone (a deleted declaration). */
export function codeOf(finding: Pick<Finding, 'line' | 'endLine' | 'symbol'>, text: string | null): string {
  const lines = text === null ? [] : text.split('\n').slice(finding.line - 1, finding.endLine).map((line) => line.trim());
  const code = lines.join('\n').trim();
  return (code || finding.symbol || '').slice(0, MAX_CODE_CHARS);
}

export function codeFingerprint(code: string): string {
  return hash(code.replace(/\s+/g, ' ').trim());
}

export function messageFingerprint(message: string): string {
  return hash(message.toLowerCase().replace(/\s+/g, ' ').trim());
}

export function fingerprint(finding: Finding, text: string | null): FingerprintedFinding {
  const code = codeOf(finding, text);
  return { finding, code, codeFingerprint: codeFingerprint(code), messageFingerprint: messageFingerprint(finding.message) };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

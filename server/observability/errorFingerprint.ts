/**
 * Failures grouped by cause: a review that fails on a missing ref `origin/feature-1234`
 * and one that fails on `origin/main` fail the same way. The fingerprint is of the stage,
 * the error's class and its message with the variable parts (quoted text, paths, URLs,
 * numbers, hex ids) replaced, so that it is stable across runs, machines and versions.
 */
import { createHash } from 'node:crypto';
import { redactLogText } from './logRedaction';

/** A message's variable parts, in the order they are replaced (a URL holds a path and numbers). */
const VARIABLE_PARTS: Array<[RegExp, string]> = [
  [/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>'],
  [/(["'`])(?:(?!\1).){0,200}\1/g, '<text>'],
  // "unknown base ref: feature-12": one word said after a colon at the end is what the message is
  // about, not how it failed; an error code (ECONNREFUSED, all capitals) is kept, being the cause.
  [/: (?![A-Z][A-Z0-9_]+$)\S+$/, ': <value>'],
  [/(?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+){2,}[\\/]?/g, '<path>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  [/\b[0-9a-f]{7,64}\b/gi, '<id>'],
  [/\b\d+(?:\.\d+)?(?:ms|s|MB|KB|GB|%)?\b/g, '<n>'],
];

/** The message with what changes from one occurrence to the next replaced; one line, trimmed. */
export function normaliseMessage(message: string): string {
  let text = (message.split('\n').find((line) => line.trim() !== '') ?? '').trim();
  for (const [pattern, replacement] of VARIABLE_PARTS) text = text.replace(pattern, replacement);
  return text.replace(/\s+/g, ' ').slice(0, 300);
}

/** 12 hex digits of sha256 over stage, class and normalised message. */
export function errorFingerprint(stage: string, errorClass: string, normalisedMessage: string): string {
  return createHash('sha256').update(`${stage}\u0000${errorClass}\u0000${normalisedMessage}`).digest('hex').slice(0, 12);
}


/**
 * A failure as it is counted and kept: its message with secrets redacted first (what is
 * stored or sent must never hold one, and a token in the message must not split a group),
 * then normalised and fingerprinted. The store and Sentry both go through here, so they agree.
 */
export function groupOf(failure: { stage: string; errorClass: string; message: string }, env: NodeJS.ProcessEnv = process.env): { fingerprint: string; message: string; example: string } {
  const example = redactLogText(failure.message.split('\n')[0], env).slice(0, 500);
  const message = normaliseMessage(redactLogText(failure.message, env));
  return { fingerprint: errorFingerprint(failure.stage, failure.errorClass, message), message, example };
}

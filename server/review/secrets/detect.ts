/**
 * Secret detection, shared by the `secret` rule and by everything that redacts
 * code before it leaves the machine (LLM prompts, stored code). Four sources,
 * in order of precedence when two find the same secret:
 *
 * 1. secretlint's recommended preset (secretlint.ts), the maintained base;
 * 2. our provider table (providerRules.ts), for the formats it lacks, each rule
 *    mirroring one of gitleaks' or trufflehog's;
 * 3. private keys in every PEM form (privateKeys.ts);
 * 4. high-entropy values under secret-like names and passwords in URLs (assignments.ts).
 */
import { assignmentAndUrlDetections } from './assignments';
import type { Detection } from './detection';
import { privateKeyDetections } from './privateKeys';
import { providerDetections } from './providers';
import { secretlintDetections } from './secretlint';

export type { Detection } from './detection';

/** What replaces each secret in `redactSecrets`. */
const REDACTED = '[REDACTED]';

/**
 * Lockfiles are full of integrity hashes (`sha512-…`) that look exactly like
 * secrets and are never written by hand, so they are not scanned at all.
 */
const LOCKFILES = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock',
  'Cargo.lock', 'poetry.lock', 'Pipfile.lock', 'uv.lock', 'composer.lock', 'Gemfile.lock', 'go.sum',
]);

/**
 * In these languages a secret can only be a quoted literal: an unquoted right-hand
 * side is an expression (`token = getToken()`), never a credential.
 */
const CODE_EXTENSIONS = new Set([
  'ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'py', 'rb', 'go', 'java', 'kt', 'kts', 'scala',
  'cs', 'php', 'rs', 'swift', 'c', 'h', 'cc', 'cpp', 'hpp', 'm', 'dart', 'lua', 'groovy', 'vue', 'svelte',
]);

/** Whether `path` is a lockfile, which is never scanned. */
export function isLockfile(path: string): boolean {
  return LOCKFILES.has(path.slice(path.lastIndexOf('/') + 1));
}

function isCodePath(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') && CODE_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

/**
 * Every credential in `text`, sorted by position. Where detections overlap (two
 * secretlint rules on one npm token, secretlint and ours on one PostgreSQL
 * password) the first one found is kept, in the order of the sources above.
 * `path` lets the detectors know the language; without it, unquoted values are
 * checked too, which errs on the side of finding.
 */
export async function detectSecrets(text: string, path?: string): Promise<Detection[]> {
  const quotedOnly = path !== undefined && isCodePath(path);
  const all = [
    ...(await secretlintDetections(text, path ?? 'file.txt')),
    ...providerDetections(text),
    ...privateKeyDetections(text),
    ...assignmentAndUrlDetections(text, quotedOnly),
  ];
  const kept: Detection[] = [];
  for (const detection of all) {
    if (detection.end <= detection.start) continue;
    if (!kept.some((other) => detection.start < other.end && other.start < detection.end)) kept.push(detection);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Replaces every credential found in `text` with `[REDACTED]`, for code that is
 * about to leave the machine or be stored. `path`, when given, lets the
 * detectors know the language; without it, unquoted values are checked too,
 * which errs on the side of redacting. Lockfiles are returned as they are.
 */
export async function redactSecrets(text: string, path?: string): Promise<{ text: string; count: number }> {
  if (path !== undefined && isLockfile(path)) return { text, count: 0 };
  let out = '';
  let cursor = 0;
  let count = 0;
  for (const detection of await detectSecrets(text, path)) {
    if (detection.start < cursor) continue; // overlaps one already replaced
    out += text.slice(cursor, detection.start) + REDACTED;
    cursor = detection.end;
    count++;
  }
  return { text: out + text.slice(cursor), count };
}

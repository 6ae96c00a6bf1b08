/**
 * The `secret` rule: credentials added by the change.
 *
 * Detection lives in `../secrets/` (secretlint's recommended preset, a provider
 * table mirroring gitleaks and trufflehog, private keys, secret-like assignments
 * and connection strings); this file only turns detections on added lines into
 * findings.
 *
 * Nothing here ever puts a secret in clear into a message or a fingerprint:
 * messages show at most the first and last four characters, fingerprints a
 * sha256 of the secret.
 */
import { createHash } from 'node:crypto';
import type { ChangedFile, RuleContext, RuleFinding, StaticRule } from '../rule';
import { detectSecrets, isLockfile } from '../secrets/detect';
import { ColumnLocator } from '../columns';

/** Kept for callers of the rule's module; the function lives with the detectors. */
export { redactSecrets } from '../secrets/detect';

/** Names spelt in lowercase even at the start of a sentence. */
const LOWERCASE_NAMES = /^(?:npm|age) /;

/** `ghp_…3f9a`: at most four characters each side, fewer for short secrets, nothing under 12 or across lines. */
function redact(secret: string): string | null {
  if (secret.length < 12 || /\s/.test(secret)) return null;
  const shown = Math.min(4, Math.floor(secret.length / 6));
  return `${secret.slice(0, shown)}…${secret.slice(-shown)}`;
}

function fingerprintOf(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex')}`;
}

async function checkFile(file: ChangedFile): Promise<RuleFinding[]> {
  const text = file.newText;
  if (text === null || file.added.size === 0 || isLockfile(file.path)) return [];
  const locator = new ColumnLocator(text);
  const findings: RuleFinding[] = [];
  for (const detection of await detectSecrets(text, file.path)) {
    // The secret's literal, as the detector delimited it (a private key's whole block, across its lines).
    const { line, column, endLine, endColumn } = locator.rangeOf(detection.start, detection.end);
    // A multi-line secret (a private key whose body was replaced) counts as added
    // when any of its lines is, not only its first.
    let added = false;
    for (let l = line; l <= endLine && !added; l++) added = file.added.has(l);
    if (!added) continue;
    const shown = redact(detection.secret);
    const label = LOWERCASE_NAMES.test(detection.label) ? detection.label : detection.label.charAt(0).toUpperCase() + detection.label.slice(1);
    // The same secret pasted twice in a file still needs two distinct ids.
    const base = fingerprintOf(detection.secret);
    findings.push({
      ruleId: 'secret',
      severity: 'error',
      file: file.path,
      line,
      endLine,
      column,
      endColumn,
      message: `${label}${shown ? ` (\`${shown}\`)` : ''} added. Load it from the environment or a secret store instead; if it was ever pushed, revoke it.`,
      suggestion: null,
      // Identical findings in one file are told apart by rank in assignIds.
      fingerprint: base,
    });
  }
  return findings;
}

/** Reports credentials (tokens, keys, passwords) on the lines the change adds. */
export const secretRule: StaticRule = {
  id: 'secret',
  description: 'Credentials added by the change: provider tokens, private keys, passwords in URLs and high-entropy values assigned to secret-like names.',
  async run(context: RuleContext): Promise<RuleFinding[]> {
    const findings: RuleFinding[] = [];
    for (const file of context.files) findings.push(...(await checkFile(file)));
    return findings;
  },
};

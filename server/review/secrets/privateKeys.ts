/**
 * Private keys in every PEM form, as gitleaks' `private-key` rule reports them
 * (`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----` … `KEY-----`, a body
 * of 64+ characters): RSA, EC, DSA, PKCS#8 (`PRIVATE KEY`), encrypted PKCS#8,
 * legacy encrypted PEM (`Proc-Type: 4,ENCRYPTED` headers), OpenSSH and PGP blocks.
 * secretlint's own rule only knows the unencrypted ASN.1 and OpenSSH forms
 * without headers, so the rest would pass unseen.
 *
 * The block is found with `indexOf`, not one regex over the text, so a BEGIN line
 * without an END costs one bounded look ahead. The body need not be clean
 * base64: it may be JSON-escaped (`\n`), quoted and concatenated in code, or
 * prefixed with line numbers in an LLM prompt; what counts is how much
 * high-entropy base64 it holds, which tells a real key from `MIIE...` or
 * `<your key here>`.
 */
import type { Detection } from './detection';
import { entropy } from './placeholders';

const BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/g;
/** How far an END line is looked for: an RSA-8192 key is about 6.5 KB of base64. */
const MAX_BLOCK = 16_384;
const BASE64_RUN = /[A-Za-z0-9+/=]{16,}/g;
/** A line that still belongs to a key whose END is missing (a cut hunk): base64 or a PEM header. */
const KEY_LINE = /[A-Za-z0-9+/=]{16,}|^\W*(?:Proc-Type|DEK-Info|Version|Comment):|^\W*$/;

function labelOf(type: string, body: string): string {
  const kind = type.replace(/ ?PRIVATE KEY(?: BLOCK)?$/, '');
  const encrypted = kind === 'ENCRYPTED' || /Proc-Type:\s*4,\s*ENCRYPTED/.test(body);
  const name = { '': 'PKCS#8', ENCRYPTED: 'PKCS#8', OPENSSH: 'OpenSSH', PGP: 'PGP' }[kind] ?? kind;
  return `${encrypted ? 'encrypted ' : ''}private key (${name})`;
}

/** The end of a block whose END line is missing: the last of the key-like lines that follow. */
function endOfUnterminated(text: string, from: number): number {
  let end = from;
  let cursor = from;
  while (cursor < text.length && cursor - from < MAX_BLOCK) {
    const next = text.indexOf('\n', cursor + 1);
    const lineEnd = next < 0 ? text.length : next;
    const line = text.slice(cursor + 1, lineEnd);
    if (!KEY_LINE.test(line) || line.includes('-----')) break;
    end = lineEnd;
    cursor = lineEnd;
  }
  return end;
}

/** Every private-key block in `text` whose body is a real key rather than a stand-in. */
export function privateKeyDetections(text: string): Detection[] {
  if (!text.includes('PRIVATE KEY')) return [];
  const detections: Detection[] = [];
  for (const match of text.matchAll(BEGIN)) {
    const start = match.index;
    const bodyStart = start + match[0].length;
    if (detections.length && start < detections[detections.length - 1].end) continue;
    const endMarker = `-----END ${match[1]}-----`;
    // Searched in a window, so that many BEGIN lines without an END stay linear.
    const window = text.slice(bodyStart, bodyStart + MAX_BLOCK + endMarker.length).indexOf(endMarker);
    const endAt = window < 0 ? -1 : bodyStart + window;
    const terminated = endAt >= 0;
    const bodyEnd = terminated ? endAt : endOfUnterminated(text, text.indexOf('\n', bodyStart) < 0 ? text.length : text.indexOf('\n', bodyStart));
    const body = text.slice(bodyStart, bodyEnd);
    const base64 = (body.match(BASE64_RUN) ?? []).join('');
    if (base64.length < 64 || entropy(base64) < 4) continue;
    const end = terminated ? endAt + endMarker.length : bodyEnd;
    detections.push({ start, end, secret: text.slice(start, end), label: labelOf(match[1], body), source: 'private-key' });
  }
  return detections;
}

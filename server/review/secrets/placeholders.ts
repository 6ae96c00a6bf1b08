/**
 * What is *not* a secret although it looks like one: stand-ins (`<YOUR_API_KEY>`,
 * `${TOKEN}`, `xoxb-your-token`), the documented examples every provider's docs
 * and every tutorial copy (AWS's `AKIAIOSFODNN7EXAMPLE`, jwt.io's token), local
 * defaults in URLs, and the entropy measure that tells a generated value from a word.
 */

/** Substrings that mark a value as a stand-in rather than a real credential. */
const PLACEHOLDER_MARKERS = [
  'changeme', 'change_me', 'change-me', 'example', 'dummy', 'test', 'placeholder', 'sample', 'fake',
  'mock', 'your', 'redacted', 'xxxx', '****', '...', '…', 'todo', 'replace', 'insert', '${', '{{', '<', '>',
  '%(', 'process.env', 'import.meta.env', 'os.environ', 'getenv', 'abcdefgh', '12345678',
];

/**
 * Values published in documentation as examples. They are public, so a finding on
 * them is noise. jwt.io's token in particular is pasted into countless READMEs and
 * tests; gitleaks would report it (its `jwt` rule has no allowlist), we do not.
 * Compared on the secret itself, so a real key that merely resembles one still counts.
 */
const DOCUMENTED_EXAMPLES = new Set([
  // AWS's access key pair from its IAM docs.
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  // jwt.io's default HS256 token ("John Doe", secret "your-256-bit-secret").
  ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'].join('.'),
  // RFC 7519 §3.1's example token.
  ['eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9', 'eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'].join('.'),
]);

/** The jwt.io example signature alone: the token is often quoted with another payload. */
const DOCUMENTED_SIGNATURES = ['SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'];

/** Local-development defaults in URLs (`postgres://postgres:postgres@localhost`) are not secrets worth a finding. */
const DEFAULT_PASSWORDS = new Set(['password', 'pass', 'passwd', 'pwd', 'pw', 'secret', 'root', 'admin', 'guest', 'postgres', 'mysql', 'redis']);

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Whether `value` is a stand-in: one repeated character, a variable, a format slot, or marked as an example. */
export function isPlaceholder(value: string): boolean {
  if (isDocumentedExample(value)) return true;
  const lower = value.toLowerCase();
  // All one character, a shell or batch variable, a `{name}` format slot.
  if (/^(.)\1*$/.test(value) || /^[$%]/.test(value) || /^\{[^}]*\}$/.test(value)) return true;
  return PLACEHOLDER_MARKERS.some((marker) => lower.includes(marker));
}

/** Whether `value` is (or ends in the signature of) an example published in documentation. */
export function isDocumentedExample(value: string): boolean {
  return DOCUMENTED_EXAMPLES.has(value) || DOCUMENTED_SIGNATURES.some((signature) => value.endsWith(signature));
}

/**
 * Whether a literal looks like a generated credential rather than a word, a
 * name or a URL. Random strings of 16+ characters have an entropy close to
 * log2 of their length, words and identifiers much less; hex has a smaller
 * alphabet, hence a lower bar, and strings without digits (`myServiceName`) a
 * higher one, since generated secrets almost always contain some.
 */
export function looksLikeSecret(value: string): boolean {
  if (value.length < 16 || /\s/.test(value) || isPlaceholder(value)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^(?:\.{0,2}\/|~\/)/.test(value)) return false;
  // Inline images and fonts: base64 of a binary, high-entropy by nature, never a credential.
  if (/^data:[\w.+-]+\/[\w.+-]+[;,]/i.test(value)) return false;
  const bits = entropy(value);
  if (/^[0-9a-f]+$/i.test(value)) return bits >= 3.0;
  if (!/\d/.test(value)) return bits >= 4.0;
  return bits >= Math.min(3.5, Math.log2(value.length) - 0.7);
}

/**
 * `${DB_PASSWORD}`, `password`, a local default such as `postgres://postgres:postgres@`,
 * or any password on a documentation host (`https://abc:xyz@example.com` in API docs).
 */
export function isPlaceholderPassword(scheme: string, user: string, password: string, host: string): boolean {
  const lower = password.toLowerCase();
  if (isPlaceholder(password) || DEFAULT_PASSWORDS.has(lower)) return true;
  if (lower === user.toLowerCase() || lower === scheme.toLowerCase()) return true;
  return /(?:^|\.)example(?:\.|$)|\.(?:test|example|invalid)$/i.test(host.replace(/:\d+$/, ''));
}

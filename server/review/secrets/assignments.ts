/**
 * Our own detectors, for what no provider format can catch: high-entropy
 * literals assigned to secret-like names (`clientSecret = "…"`), and passwords
 * in connection strings of any scheme (`redis://:pw@host`). Both work line by
 * line, so a long minified line costs nothing.
 */
import { MAX_LINE_LENGTH, type Detection } from './detection';
import { isPlaceholderPassword, looksLikeSecret } from './placeholders';

/**
 * `name = value`, `name: value`, `"name": "value"`, `name := value`, `name => value`,
 * with an optional TypeScript annotation (`apiKey: string = "…"`). Group 2 is the
 * name, 4 a quoted value (quote in 3), 5 an unquoted one.
 */
const ASSIGNMENT =
  /(?<![\w$.-])(["']?)([A-Za-z_$][\w$.-]*)\1(?:\??\s*:\s*[A-Za-z_$][\w$.<>[\]| ]*?)?\s*(?::=|=>|=(?![=>])|:(?!:))\s*(?:(["'`])((?:\\.|(?!\3)[^\\])*)\3|([^\s'"`,;(){}[\]<>#]+)(?=\s*(?:$|[#;,])))/g;

/** `scheme://user:password@host`; group 1 the scheme, 2 the user, 3 the password, 4 the host (not consumed). */
const CONNECTION_STRING = /\b([a-z][a-z0-9+.-]*):\/\/([^\s:@/?#'"`]*):([^\s:@/?#'"`]+)@(?=([^\s/?#'"`@]*[\w\]]))/gi;

/** Words that make a name secret-like on their own (after splitting `clientSecret` into `client`, `secret`). */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'auth', 'authorization',
  'credential', 'credentials', 'apikey', 'accesskey', 'privatekey', 'secretkey', 'bearer',
]);

/** Words that make `<word> key` secret-like (`api_key`, `accessKey`, `PRIVATE-KEY`). */
const KEY_QUALIFIERS = new Set(['api', 'access', 'private', 'secret', 'signing', 'encryption', 'master']);

/**
 * A name ending in one of these is about a secret without holding it
 * (`tokenUrl`, `passwordField`, `SECRET_NAME`), so its value is not checked.
 */
const NOT_A_SECRET_SUFFIXES = new Set([
  'url', 'uri', 'endpoint', 'path', 'file', 'dir', 'name', 'type', 'id', 'header', 'field', 'label',
  'prefix', 'suffix', 'length', 'len', 'count', 'expiry', 'expires', 'expiration', 'ttl', 'timeout',
  'format', 'mode', 'method', 'kind', 'env', 'var', 'param', 'regex', 'pattern', 'route', 'host', 'port',
  'user', 'username', 'email', 'message', 'msg', 'error', 'text', 'description', 'hint', 'placeholder',
  'title', 'hash', 'digest', 'sha', 'checksum', 'fingerprint', 'policy', 'provider', 'strategy', 'version', 'scope', 'scopes',
]);

/** Splits `clientSecret`, `CLIENT_SECRET`, `x-api-key`, `config.auth.token` into lowercase words. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function isSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || NOT_A_SECRET_SUFFIXES.has(words[words.length - 1])) return false;
  return words.some((word, i) => SECRET_WORDS.has(word) || (word === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1])));
}

function assignmentDetections(line: string, offset: number, quotedOnly: boolean): Detection[] {
  const detections: Detection[] = [];
  for (const match of line.matchAll(ASSIGNMENT)) {
    const [, , name, , quoted, unquoted] = match;
    if (!isSecretName(name)) continue;
    if (quoted === undefined && (quotedOnly || /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(unquoted))) continue;
    const raw = quoted ?? unquoted;
    // `Authorization: "Bearer <token>"`: the credential is the part after the scheme.
    const scheme = /^(?:bearer|basic|token)\s+/i.exec(raw);
    const value = scheme ? raw.slice(scheme[0].length) : raw;
    if (!looksLikeSecret(value)) continue;
    const valueStart = offset + match.index + match[0].length - (quoted !== undefined ? 1 : 0) - value.length;
    detections.push({ start: valueStart, end: valueStart + value.length, secret: value, label: `high-entropy value assigned to \`${name}\``, source: 'assignment' });
  }
  return detections;
}

function connectionStringDetections(line: string, offset: number): Detection[] {
  const detections: Detection[] = [];
  for (const match of line.matchAll(CONNECTION_STRING)) {
    const [whole, scheme, user, password, host] = match;
    if (isPlaceholderPassword(scheme, user, password, host)) continue;
    const start = offset + match.index + whole.length - 1 - password.length;
    detections.push({ start, end: start + password.length, secret: password, label: `password in a \`${scheme}://\` URL`, source: 'connection-string' });
  }
  return detections;
}

/**
 * Connection-string passwords and secret-like assignments in `text`. With
 * `quotedOnly` (source code), an unquoted right-hand side is an expression
 * (`token = getToken()`), never a credential.
 */
export function assignmentAndUrlDetections(text: string, quotedOnly: boolean): Detection[] {
  const detections: Detection[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    if (line.length <= MAX_LINE_LENGTH) {
      detections.push(...connectionStringDetections(line, offset), ...assignmentDetections(line, offset, quotedOnly));
    }
    offset += line.length + 1;
  }
  return detections;
}

/**
 * The `secret` rule: credentials added by the change.
 *
 * secretlint's recommended preset does the heavy lifting (provider tokens,
 * private keys, database URLs); two detectors of our own cover what it leaves
 * out: high-entropy literals assigned to secret-like names, and passwords in
 * connection strings of any scheme. The same detection backs `redactSecrets`,
 * which strips credentials from code before it leaves the machine.
 *
 * Nothing here ever puts a secret in clear into a message or a fingerprint:
 * messages show at most the first and last four characters, fingerprints a
 * sha256 of the secret.
 */
import { createHash } from 'node:crypto';
import type { ChangedFile, RuleContext, RuleFinding, StaticRule } from '../rule';
import type * as SecretlintCore from '@secretlint/core';

/** One credential found in a text. `start`/`end` are offsets of the secret itself, not of its context. */
interface Detection {
  start: number;
  end: number;
  secret: string;
  /** What it is, for the message ("GitHub token", "password in a redis:// URL"). */
  label: string;
}

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

/** Human labels for secretlint's message ids; its own messages contain the secret, so they are never shown. */
const SECRETLINT_LABELS: Record<string, string> = {
  AWSSecretAccessKey: 'AWS secret access key',
  AWSAccessKeyID: 'AWS access key ID',
  PrivateKey: 'private key',
  PrivateKeyJSON: 'GCP service account key',
  PrivateKeyP12: 'GCP service account key',
  GITHUB_TOKEN: 'GitHub token',
  PackageJSON_xOauthToken: 'GitHub token',
  Npmrc_authToken: 'npm auth token',
  NPM_ACCESS_TOKEN: 'npm access token',
  SLACK_TOKEN: 'Slack token',
  IncomingWebhook: 'Slack incoming webhook URL',
  BasicAuth: 'basic-auth password in a URL',
  OPENAI_TOKEN: 'OpenAI API key',
  ANTHROPIC_API_KEY: 'Anthropic API key',
  LINEAR_API_TOKEN: 'Linear API key',
  SENDGRID_KEY: 'SendGrid API key',
  SHOPIFY_KEY: 'Shopify API key',
  OPS_TOKEN: '1Password service account token',
  MongoDBConnection: 'password in a MongoDB connection string',
  MySQLConnection: 'password in a MySQL connection string',
  PostgreSQLConnection: 'password in a PostgreSQL connection string',
};

/** secretlint reports these, but they identify an account rather than grant access to it. */
const IGNORED_SECRETLINT_MESSAGES = new Set(['AWSAccountID']);

// ---------------------------------------------------------------------------
// secretlint

type LintSource = typeof SecretlintCore.lintSource;
// Taken from `lintSource` rather than imported from `@secretlint/types`, which is
// only a transitive dependency.
type SecretLintCoreConfig = Parameters<LintSource>[0]['options']['config'];
type SecretLintCoreResultMessage = Awaited<ReturnType<LintSource>>['messages'][number];

let secretlint: Promise<{ lintSource: LintSource; config: SecretLintCoreConfig }> | undefined;

/**
 * Both packages are ESM-only; a dynamic import loads them from our CommonJS
 * output without relying on `require(esm)`, and only when a review needs them.
 */
function loadSecretlint(): Promise<{ lintSource: LintSource; config: SecretLintCoreConfig }> {
  secretlint ??= Promise.all([
    import('@secretlint/core'),
    import('@secretlint/secretlint-rule-preset-recommend'),
  ]).then(([core, preset]) => ({
    lintSource: core.lintSource,
    config: {
      rules: [
        {
          id: '@secretlint/secretlint-rule-preset-recommend',
          rule: preset.creator,
          // Off by default in the preset because an access key id alone is not
          // enough to authenticate; we still want it out of the repository.
          rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
        },
      ],
    },
  }));
  return secretlint;
}

async function secretlintDetections(text: string, path: string): Promise<Detection[]> {
  const { lintSource, config } = await loadSecretlint();
  const result = await lintSource({
    source: { content: text, filePath: path, contentType: 'text' },
    // The text may come from the index or a commit, not from the file on disk.
    options: { config, noPhysicFilePath: true },
  });
  const detections: Detection[] = [];
  for (const message of result.messages) {
    if (message.type !== 'message' || IGNORED_SECRETLINT_MESSAGES.has(message.messageId)) continue;
    const detection = locateSecret(text, message);
    if (detection) detections.push(detection);
  }
  return detections;
}

/**
 * Where the secret of a secretlint message really is. Some rules report a range
 * that starts at the key name (`aws_secret_access_key = …`) but has the secret's
 * length, so the secret is taken from the message data and looked up near the
 * range; a URL credential is narrowed down to its password, and dropped when
 * that password is a placeholder or a local default.
 */
function locateSecret(text: string, message: SecretLintCoreResultMessage): Detection | null {
  const label = SECRETLINT_LABELS[message.messageId] ?? `credential (${message.ruleId.replace(/^@secretlint\/secretlint-rule-/, '')})`;
  const [rangeStart, rangeEnd] = message.range;
  let start = rangeStart;
  let end = rangeEnd;
  let fromData = false;
  for (const value of Object.values(message.data ?? {})) {
    if (typeof value !== 'string' || value.length < 8) continue;
    const at = text.indexOf(value, rangeStart);
    if (at < 0 || at > rangeEnd || (fromData && value.length <= end - start)) continue;
    [start, end, fromData] = [at, at + value.length, true];
  }
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^\s:@/]*):([^\s@/]+)@([^\s/?#:]*)/i.exec(text.slice(start, end));
  if (url && message.messageId !== 'IncomingWebhook') {
    const [, scheme, user, password, host] = url;
    if (isPlaceholderPassword(scheme, user, password, host)) return null;
    start += `${scheme}://${user}:`.length;
    end = start + password.length;
  }
  return { start, end, secret: text.slice(start, end), label };
}

// ---------------------------------------------------------------------------
// Our own detectors

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

/** Substrings that mark a value as a stand-in rather than a real credential. */
const PLACEHOLDER_MARKERS = [
  'changeme', 'change_me', 'change-me', 'example', 'dummy', 'test', 'placeholder', 'sample', 'fake',
  'mock', 'your', 'redacted', 'xxxx', '****', '...', '…', 'todo', 'replace', 'insert', '${', '{{', '<', '>',
  '%(', 'process.env', 'import.meta.env', 'os.environ', 'getenv', 'abcdefgh', '12345678',
];

/** Local-development defaults in URLs (`postgres://postgres:postgres@localhost`) are not secrets worth a finding. */
const DEFAULT_PASSWORDS = new Set(['password', 'pass', 'passwd', 'pwd', 'pw', 'secret', 'root', 'admin', 'guest', 'postgres', 'mysql', 'redis']);

/** Lines longer than this are minified or generated; the regexes are skipped on them to stay linear. */
const MAX_LINE_LENGTH = 4096;

function isLockfile(path: string): boolean {
  return LOCKFILES.has(path.slice(path.lastIndexOf('/') + 1));
}

function isCodePath(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') && CODE_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

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

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  // All one character, a shell or batch variable, a `{name}` format slot.
  if (/^(.)\1*$/.test(value) || /^[$%]/.test(value) || /^\{[^}]*\}$/.test(value)) return true;
  return PLACEHOLDER_MARKERS.some((marker) => lower.includes(marker));
}

/**
 * Whether a literal looks like a generated credential rather than a word, a
 * name or a URL. Random strings of 16+ characters have an entropy close to
 * log2 of their length, words and identifiers much less; hex has a smaller
 * alphabet, hence a lower bar, and strings without digits (`myServiceName`) a
 * higher one, since generated secrets almost always contain some.
 */
function looksLikeSecret(value: string): boolean {
  if (value.length < 16 || /\s/.test(value) || isPlaceholder(value)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^(?:\.{0,2}\/|~\/)/.test(value)) return false;
  const bits = entropy(value);
  if (/^[0-9a-f]+$/i.test(value)) return bits >= 3.0;
  if (!/\d/.test(value)) return bits >= 4.0;
  return bits >= Math.min(3.5, Math.log2(value.length) - 0.7);
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
    detections.push({ start: valueStart, end: valueStart + value.length, secret: value, label: `high-entropy value assigned to \`${name}\`` });
  }
  return detections;
}

/**
 * `${DB_PASSWORD}`, `password`, a local default such as `postgres://postgres:postgres@`,
 * or any password on a documentation host (`https://abc:xyz@example.com` in API docs).
 */
function isPlaceholderPassword(scheme: string, user: string, password: string, host: string): boolean {
  const lower = password.toLowerCase();
  if (isPlaceholder(password) || DEFAULT_PASSWORDS.has(lower)) return true;
  if (lower === user.toLowerCase() || lower === scheme.toLowerCase()) return true;
  return /(?:^|\.)example(?:\.|$)|\.(?:test|example|invalid)$/i.test(host.replace(/:\d+$/, ''));
}

function connectionStringDetections(line: string, offset: number): Detection[] {
  const detections: Detection[] = [];
  for (const match of line.matchAll(CONNECTION_STRING)) {
    const [whole, scheme, user, password, host] = match;
    if (isPlaceholderPassword(scheme, user, password, host)) continue;
    const start = offset + match.index + whole.length - 1 - password.length;
    detections.push({ start, end: start + password.length, secret: password, label: `password in a \`${scheme}://\` URL` });
  }
  return detections;
}

function ownDetections(text: string, path: string | undefined): Detection[] {
  const quotedOnly = path !== undefined && isCodePath(path);
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

/**
 * Every credential in `text`, sorted by position. Where detections overlap (two
 * secretlint rules on one npm token, secretlint and ours on one PostgreSQL
 * password) the first one found is kept, secretlint's before ours.
 */
async function detectSecrets(text: string, path: string | undefined): Promise<Detection[]> {
  const kept: Detection[] = [];
  for (const detection of [...(await secretlintDetections(text, path ?? 'file.txt')), ...ownDetections(text, path)]) {
    if (detection.end <= detection.start) continue;
    if (!kept.some((other) => detection.start < other.end && other.start < detection.end)) kept.push(detection);
  }
  return kept.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------
// Reporting

/** `ghp_…3f9a`: at most four characters each side, fewer for short secrets, nothing under 12 or across lines. */
function redact(secret: string): string | null {
  if (secret.length < 12 || /\s/.test(secret)) return null;
  const shown = Math.min(4, Math.floor(secret.length / 6));
  return `${secret.slice(0, shown)}…${secret.slice(-shown)}`;
}

function fingerprintOf(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex')}`;
}

/** 1-based line of each offset, by binary search over line starts. */
function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

async function checkFile(file: ChangedFile): Promise<RuleFinding[]> {
  const text = file.newText;
  if (text === null || file.added.size === 0 || isLockfile(file.path)) return [];
  const lineOf = lineLocator(text);
  const findings: RuleFinding[] = [];
  for (const detection of await detectSecrets(text, file.path)) {
    const line = lineOf(detection.start);
    const endLine = lineOf(Math.max(detection.start, detection.end - 1));
    // A multi-line secret (a private key whose body was replaced) counts as added
    // when any of its lines is, not only its first.
    let added = false;
    for (let l = line; l <= endLine && !added; l++) added = file.added.has(l);
    if (!added) continue;
    const shown = redact(detection.secret);
    const label = detection.label.charAt(0).toUpperCase() + detection.label.slice(1);
    // The same secret pasted twice in a file still needs two distinct ids.
    const base = fingerprintOf(detection.secret);
    findings.push({
      ruleId: 'secret',
      severity: 'error',
      file: file.path,
      line,
      endLine,
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

/**
 * Replaces every credential found in `text` with `[REDACTED]`, for code that is
 * about to leave the machine (an LLM prompt). `path`, when given, lets the
 * detectors know the language; without it, unquoted values are checked too,
 * which errs on the side of redacting.
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

/**
 * What every log line and error report goes through before it is written or sent: the values
 * of secret environment variables, well-known token formats, credentials in URLs and
 * Authorization-like text, and the values of secret-named keys. It runs on every record, so it
 * is synchronous and plain regular expressions; `server/llm/redaction.ts` (secretlint, async)
 * is the thorough pass for what leaves for an LLM, too slow for a logger.
 */
import * as fs from 'node:fs';

const REDACTED = '[REDACTED]';

/** Environment variables whose names say they hold a credential. */
const SECRET_ENV_NAME = /(?:_KEY$|TOKEN|SECRET|PASSWORD|_DSN$|^DSN$)/i;

/** Shorter values ("true", "1", "dev") would redact ordinary words all over a log. */
const MIN_ENV_SECRET_LENGTH = 7;

/**
 * Object keys whose values are credentials whatever they look like. Only string values are
 * replaced under them: `maxTokens` or `promptTokens` are counts, and end in "tokens" anyway.
 */
const SECRET_KEY =
  /^(?:authorization|proxy[-_]?authorization|cookie|set[-_]?cookie|pass(?:word|wd)?|pwd|secret|token|dsn|credentials?|private[-_]?key|client[-_]?secret|api[-_]?key|access[-_]?key|access[-_]?token|refresh[-_]?token|id[-_]?token|auth[-_]?token|session[-_]?token)$|(?:secret|password|token|api[-_]?key)$/i;

const TEXT_PATTERNS: ReadonlyArray<{ kind: string; pattern: RegExp; replace: (match: string, ...groups: string[]) => string }> = [
  {
    kind: 'private-key',
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    replace: () => '[REDACTED:private-key]',
  },
  {
    kind: 'github',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
    replace: () => '[REDACTED:github]',
  },
  {
    kind: 'openai',
    pattern: /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,}/g,
    replace: () => '[REDACTED:openai]',
  },
  {
    kind: 'slack',
    pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
    replace: () => '[REDACTED:slack]',
  },
  {
    kind: 'aws',
    pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
    replace: () => '[REDACTED:aws]',
  },
  {
    kind: 'jwt',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
    replace: () => '[REDACTED:jwt]',
  },
  {
    // Authorization: Bearer …, token …, Basic … (the scheme stays, so the line still says what was sent).
    kind: 'authorization',
    pattern: /\b(Bearer|Basic|token)(\s+)([A-Za-z0-9._~+/=-]{8,})/gi,
    replace: (match, scheme, space, value) => (value.startsWith('[REDACTED') ? match : `${scheme}${space}${REDACTED}`),
  },
  {
    // https://user:password@host: the user stays.
    kind: 'url-password',
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)([^\s@/]+)@/gi,
    replace: (_match, prefix) => `${prefix}${REDACTED}@`,
  },
  {
    // password=…, "apiKey": "…", SECRET_TOKEN: …: the value after a secret-named key in free text.
    kind: 'assignment',
    pattern: /((?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)["']?\s*[:=]\s*["'`]?)([^\s"'`,;&}]{6,})/gi,
    replace: (match, prefix, value) => (value.startsWith('[REDACTED') ? match : `${prefix}${REDACTED}`),
  },
];

/**
 * Reading process.env goes through the C++ environment on each access (~100 µs for 70
 * variables): remembered per environment object, and read again at most once a second so
 * that a variable set while a daemon runs is redacted soon after.
 */
const ENV_SECRETS_TTL_MS = 1_000;
const envSecretsMemo = new WeakMap<NodeJS.ProcessEnv, { at: number; secrets: string[] }>();

function envSecrets(env: NodeJS.ProcessEnv): string[] {
  const now = Date.now();
  const memo = envSecretsMemo.get(env);
  if (memo && now - memo.at < ENV_SECRETS_TTL_MS) return memo.secrets;
  const secrets = readEnvSecrets(env);
  envSecretsMemo.set(env, { at: now, secrets });
  return secrets;
}

/** The secret values found in `env`, longest first (so a value containing another is replaced whole). */
function readEnvSecrets(env: NodeJS.ProcessEnv): string[] {
  const values = new Set<string>();
  for (const [variable, setting] of Object.entries(env)) {
    if (!setting) continue;
    // A secret mounted as a file (GITHUB_TOKEN_FILE, as container secrets are): its content is the secret.
    const fromFile = variable.endsWith('_FILE');
    const name = fromFile ? variable.slice(0, -'_FILE'.length) : variable;
    if (fromFile && !SECRET_ENV_NAME.test(name) && name !== 'DATABASE_URL') continue;
    const value = fromFile ? secretFileContent(setting) : setting;
    if (!value) continue;
    if (SECRET_ENV_NAME.test(name) && value.length >= MIN_ENV_SECRET_LENGTH) values.add(value);
    if (name === 'DATABASE_URL') {
      const password = urlPassword(value);
      if (password && password.length >= MIN_ENV_SECRET_LENGTH) values.add(password);
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** A secret file's content without its final newline; nothing when it cannot be read or is implausibly large. */
function secretFileContent(file: string): string | undefined {
  try {
    if (fs.statSync(file).size > 64 * 1024) return undefined;
    return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '') || undefined;
  } catch {
    return undefined; // unreadable here: whoever reads it reports that
  }
}

function urlPassword(value: string): string | undefined {
  try {
    const password = new URL(value).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

function redactWith(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const { pattern, replace } of TEXT_PATTERNS) {
    pattern.lastIndex = 0;
    out = out.replace(pattern, (...args: unknown[]) => {
      const groups = args.slice(1).filter((value): value is string => typeof value === 'string');
      return replace(args[0] as string, ...groups);
    });
  }
  return out;
}

/** `text` with every credential this module knows of replaced by `[REDACTED]` (or `[REDACTED:kind]`). */
export function redactLogText(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return redactWith(text, envSecrets(env));
}

/**
 * A redacted copy of `value`: strings redacted, secret-named keys' string values replaced,
 * arrays, plain objects and Errors (message, stack, cause and own fields) walked; cycles come
 * out as `[Circular]`. The input is never changed.
 */
export function redactLogValue<T>(value: T, env: NodeJS.ProcessEnv = process.env): T {
  const secrets = envSecrets(env);
  return redactNode(value, secrets, new WeakMap()) as T;
}

function redactNode(value: unknown, secrets: readonly string[], seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redactWith(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value) ?? '[Circular]';
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(redactNode(item, secrets, seen));
    return out;
  }
  if (value instanceof Error) return redactError(value, secrets, seen);
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && typeof item === 'string' && item.length > 0 ? REDACTED : redactNode(item, secrets, seen);
  }
  return out;
}

/** An Error of the same class (so `instanceof` and serializers still see one) with redacted text. */
function redactError(error: Error, secrets: readonly string[], seen: WeakMap<object, unknown>): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  seen.set(error, copy);
  for (const key of Object.getOwnPropertyNames(error)) {
    const item = (error as unknown as Record<string, unknown>)[key];
    const redacted = SECRET_KEY.test(key) && typeof item === 'string' ? REDACTED : redactNode(item, secrets, seen);
    Object.defineProperty(copy, key, { value: redacted, writable: true, configurable: true, enumerable: key !== 'stack' && key !== 'message' ? Object.prototype.propertyIsEnumerable.call(error, key) : false });
  }
  return copy;
}

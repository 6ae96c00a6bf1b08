/**
 * Everything sent to an LLM goes through here first. The `secret` rule's
 * detectors (secretlint's recommended preset, connection strings, high-entropy
 * values under secret-like names) do most of the work; the patterns below catch
 * what a prompt can hold that a diff rule does not look for: whole private-key
 * blocks, bearer tokens in examples, and quoted values of secret-like keys
 * whatever their entropy.
 */
import { redactSecrets } from '../review/secrets/detect';

const REDACTED = '[REDACTED]';

/**
 * Bump with any change to what redactForLlm replaces (the patterns below; the secret rule's
 * detectors bump RULES_CACHE_VERSION): the code a review stores is redacted through a memo
 * keyed by both (store/atRest.ts, remembered), which must not serve an older answer.
 */
export const REDACTION_VERSION = 1;

const EXTRA_PATTERNS: ReadonlyArray<{ pattern: RegExp; replace: (...groups: string[]) => string }> = [
  {
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    replace: () => REDACTED,
  },
  {
    pattern: /\b(Bearer|Basic|token)\s+([A-Za-z0-9._~+/=-]{16,})/g,
    replace: (_match, scheme) => `${scheme} ${REDACTED}`,
  },
  {
    // user:password@ in any URL.
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)([^\s@/]+)@/gi,
    replace: (_match, prefix) => `${prefix}${REDACTED}@`,
  },
  {
    // password = "…", "apiKey": '…', SECRET_TOKEN: `…`: the quoted value, when it is not a placeholder.
    pattern: /((?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)\w*["']?\s*[:=]\s*(["'`]))((?:(?!\2)[^\s\\]){8,})(\2)/gi,
    replace: (match, prefix, _quote, value, close) => (isPlaceholder(value) ? match : `${prefix}${REDACTED}${close}`),
  },
];

function isPlaceholder(value: string): boolean {
  return value === REDACTED || /^(?:\$\{[^}]*\}|<[^>]*>|x+|\*+|\.+|your[-_ ].*|changeme|example.*)$/i.test(value);
}

/** `text` with every credential replaced by `[REDACTED]`, and how many were replaced. */
export async function redactForLlm(text: string, path?: string): Promise<{ text: string; count: number }> {
  const detected = await redactSecrets(text, path);
  let out = detected.text;
  let count = detected.count;
  for (const { pattern, replace } of EXTRA_PATTERNS) {
    out = out.replace(pattern, (...args: unknown[]) => {
      const match = args[0] as string;
      const groups = args.slice(1).filter((value): value is string => typeof value === 'string');
      const replaced = replace(match, ...groups);
      if (replaced !== match) count++;
      return replaced;
    });
  }
  return { text: out, count };
}

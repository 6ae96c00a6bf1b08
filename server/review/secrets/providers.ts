/** Runs the provider table (providerRules.ts) over a text: keywords first, then each rule's regex once. */
import { MAX_LINE_LENGTH, type Detection } from './detection';
import { PROVIDER_RULES, type ProviderRule } from './providerRules';
import { entropy, isPlaceholder } from './placeholders';

/** Each rule's pattern with match indices (`d`), so the secret's own offsets are known. */
const COMPILED: ReadonlyArray<{ rule: ProviderRule; pattern: RegExp }> = PROVIDER_RULES.map((rule) => ({
  rule,
  pattern: new RegExp(rule.pattern.source, [...new Set(`${rule.pattern.flags}dg`)].join('')),
}));

/**
 * `text` with every line longer than MAX_LINE_LENGTH blanked out, offsets kept:
 * minified and generated lines are skipped, as by the other detectors.
 */
function withoutLongLines(text: string): string {
  if (text.length <= MAX_LINE_LENGTH) return text;
  let out = '';
  let cursor = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    if (lineEnd - lineStart > MAX_LINE_LENGTH) {
      out += text.slice(cursor, lineStart) + ' '.repeat(lineEnd - lineStart);
      cursor = lineEnd;
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return cursor === 0 ? text : out + text.slice(cursor);
}

function lineAround(text: string, start: number, end: number): string {
  return text.slice(text.lastIndexOf('\n', start - 1) + 1, text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end));
}

/** Every provider credential in `text`, placeholders and documented examples dropped. */
export function providerDetections(text: string): Detection[] {
  const lower = text.toLowerCase();
  const scanned = withoutLongLines(text);
  const detections: Detection[] = [];
  for (const { rule, pattern } of COMPILED) {
    if (rule.keywords && !rule.keywords.some((keyword) => lower.includes(keyword))) continue;
    for (const match of scanned.matchAll(pattern)) {
      const group = match.length > 1 && match[1] !== undefined ? 1 : 0;
      const [start, end] = match.indices![group]!;
      const secret = match[group];
      if (rule.minEntropy !== undefined && entropy(secret) < rule.minEntropy) continue;
      if (isPlaceholder(secret)) continue;
      if (rule.validate && !rule.validate(secret, lineAround(text, start, end))) continue;
      detections.push({ start, end, secret, label: rule.label, source: `provider:${rule.id}` });
    }
  }
  return detections;
}

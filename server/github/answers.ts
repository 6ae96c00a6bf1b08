/**
 * Checking that an answer from GitHub is what its API documents before any of
 * it is used or stored: a proxy's HTML page, a body cut short, a list where an
 * object belongs or an object without the fields we read each end in one line
 * naming the request, the status and a short excerpt of what came back.
 */
import type { z } from 'zod';
import { excerpt, GitHubError } from './errors';

/** Which request an answer is the answer to. */
export interface AnswerContext {
  /** As `endpointOf` gives it: `GET /repos/o/r/pulls/7`. */
  endpoint: string;
  status: number;
}

/**
 * `data` (as octokit gives it: parsed JSON, or the text when it was not JSON)
 * checked against `schema`; `expected` says what it should have been, for the message.
 */
export function checkAnswer<T>(schema: z.ZodType<T>, data: unknown, context: AnswerContext, expected: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new GitHubError(`GitHub's answer to ${context.endpoint} (${context.status}) is not what its API documents: expected ${expected}, got ${describeValue(data, parsed.error.issues[0]?.path ?? [])}`);
}

/** What a body that is not JSON looks like, for a message: an HTML page, JSON cut short, text. */
export function describeText(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'an empty body';
  if (trimmed.startsWith('<')) return `an HTML page ("${excerpt(trimmed)}")`;
  if (/^[[{]/.test(trimmed)) return `JSON that is cut short or malformed ("${excerpt(trimmed)}")`;
  return `text that is not JSON ("${excerpt(trimmed)}")`;
}

/** What came back, in words, pointing at the first field that is wrong when the value is JSON. */
function describeValue(data: unknown, issuePath: readonly PropertyKey[]): string {
  if (typeof data === 'string') return describeText(data);
  if (data === null || data === undefined) return 'nothing (null)';
  if (data instanceof ArrayBuffer) return `a binary body of ${data.byteLength} bytes`;
  const json = `"${excerpt(JSON.stringify(data))}"`;
  if (issuePath.length === 0) return `${kindOf(data)} (${json})`;
  const where = issuePath.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
  let value: unknown = data;
  for (const key of issuePath) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  const holder = Array.isArray(data) ? 'a list whose' : 'an object whose';
  return `${holder} ${where} is ${value === undefined ? 'missing' : kindOf(value)} (${json})`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the text ${JSON.stringify(excerpt(value, 30))}`;
  return `the ${typeof value} ${String(value)}`;
}

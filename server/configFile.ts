/**
 * `.diffwise/config.json`, read and validated for one section's settings (the LLM's,
 * learning's, co-change's): the file's absence is no error, anything else wrong with it
 * is one line naming the file and the field, which fails the stage that asked. The
 * message never quotes the file's text: a key pasted into it must not reach a log.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';

/** The shared config file, relative to the repository root. */
export const CONFIG_FILE = path.join('.diffwise', 'config.json');

export function configFilePath(repoRoot: string): string {
  return path.join(repoRoot, CONFIG_FILE);
}

/**
 * The file validated by `schema`; undefined when the repository has none. The schema is
 * asked for only then (server/lazySchema.ts): most repositories have no file, and need no zod.
 */
export function readValidatedConfig<T>(repoRoot: string, schema: () => z.ZodType<T>): T | undefined {
  const file = configFilePath(repoRoot);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // No `cause`, and only the position from V8's message: it quotes the file's text.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`Invalid JSON in ${file}${jsonErrorReason(text, error)}`);
  }
  const parsed = schema().safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // The message names the field, never its value.
    throw new Error(`Invalid ${file}: ${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * V8's reason without the excerpt of the text it quotes (everything from the
 * first double quote on), plus the line and column when it gives a position.
 */
function jsonErrorReason(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const reason = message.split('"')[0]!.replace(/[\s,]+$/, '').replace(/ in JSON at position \d+.*$/, '');
  const match = /position (\d+)/.exec(message);
  let where = '';
  if (match) {
    const before = text.slice(0, Number(match[1]));
    where = ` at line ${before.split('\n').length} column ${before.length - before.lastIndexOf('\n')}`;
  }
  return `${where}: ${reason || 'not valid JSON'}`;
}

/** `value` without its undefined fields, so that spreading it over defaults keeps them. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * `.diffwise/config.json`, read and validated for one section's settings (learning,
 * co-change): the file's absence is no error, anything else wrong with it is one line
 * naming the file and the field, which fails the stage that asked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { CONFIG_FILE } from './llm/config';

/**
 * The file validated by `schema`; undefined when the repository has none. The schema is
 * asked for only then (server/lazySchema.ts): most repositories have no file, and need no zod.
 */
export function readValidatedConfig<T>(repoRoot: string, schema: () => z.ZodType<T>): T | undefined {
  const file = path.join(repoRoot, CONFIG_FILE);
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
  } catch {
    throw new Error(`Invalid JSON in ${file}`);
  }
  const parsed = schema().safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid ${file}: ${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** `value` without its undefined fields, so that spreading it over defaults keeps them. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The co-change rule's settings: the defaults, then the team's `.diffwise/config.json`
 * (`"coChange": {…}`, checked in), then the editor's `diffwise.coChange.enabled`
 * or the CLI's `--no-co-change`, each overriding the one before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { CONFIG_FILE } from '../llm/config';
import { CO_CHANGE_DEFAULTS } from './coChangeModel';

export interface CoChangeSettings {
  enabled: boolean;
  /** Commits mined, newest first. */
  commits: number;
  minSupport: number;
  minConfidence: number;
  maxFilesPerCommit: number;
}

export const CO_CHANGE_SETTING_DEFAULTS: CoChangeSettings = {
  enabled: true,
  commits: CO_CHANGE_DEFAULTS.commits,
  minSupport: CO_CHANGE_DEFAULTS.minSupport,
  minConfidence: CO_CHANGE_DEFAULTS.minConfidence,
  maxFilesPerCommit: CO_CHANGE_DEFAULTS.maxFilesPerCommit,
};

const fileSchema = lazySchema(() => z.looseObject({
  coChange: z.strictObject({
    enabled: z.boolean().optional(),
    commits: z.int().min(10).max(100_000).optional(),
    minSupport: z.int().min(1).optional(),
    minConfidence: z.number().min(0).max(1).optional(),
    maxFilesPerCommit: z.int().min(2).optional(),
  }).optional(),
}));

export function loadCoChangeSettings(repoRoot: string, overrides: Partial<CoChangeSettings> = {}): CoChangeSettings {
  const file = path.join(repoRoot, CONFIG_FILE);
  let text: string | undefined;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  let fromFile: Partial<CoChangeSettings> = {};
  if (text !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`Invalid JSON in ${file}`);
    }
    const parsed = fileSchema().safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`Invalid ${file}: ${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
    }
    fromFile = parsed.data.coChange ?? {};
  }
  const defined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
  return { ...CO_CHANGE_SETTING_DEFAULTS, ...defined(fromFile), ...defined(overrides) };
}

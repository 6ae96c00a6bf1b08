/**
 * Learning's thresholds: the defaults, then the team's `.diffwise/config.json`
 * (`"learning": {…}`, checked in), then the editor's `diffwise.learning.*`
 * settings, each overriding the one before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { LEARNING_DEFAULTS, type LearningSettings } from '../../shared/feedback';
import { CONFIG_FILE } from '../llm/config';

const fileSchema = lazySchema(() => {
  const share = z.number().min(0).max(1);
  const learningSchema = z.strictObject({
    enabled: z.boolean().optional(),
    minVotes: z.int().min(1).optional(),
    demoteBelow: share.optional(),
    suppressBelow: share.optional(),
    similarity: share.optional(),
    promptExamples: z.int().min(0).max(20).optional(),
  });
  return z.looseObject({ learning: learningSchema.optional() });
});

export function loadLearningSettings(repoRoot: string, overrides: Partial<LearningSettings> = {}): LearningSettings {
  const file = path.join(repoRoot, CONFIG_FILE);
  let fromFile: Partial<LearningSettings> = {};
  let text: string | undefined;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
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
    fromFile = parsed.data.learning ?? {};
  }
  const defined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
  return { ...LEARNING_DEFAULTS, ...defined(fromFile), ...defined(overrides) };
}

/**
 * Learning's thresholds: the defaults, then the team's `.diffwise/config.json`
 * (`"learning": {…}`, checked in), then the editor's `diffwise.learning.*`
 * settings, each overriding the one before.
 */
import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { LEARNING_DEFAULTS, type LearningSettings } from '../../shared/feedback';
import { definedOnly, readValidatedConfig } from '../configFile';

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
  const fromFile: Partial<LearningSettings> = readValidatedConfig(repoRoot, fileSchema)?.learning ?? {};
  return { ...LEARNING_DEFAULTS, ...definedOnly(fromFile), ...definedOnly(overrides) };
}

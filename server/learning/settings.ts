/**
 * Learning's thresholds: the defaults, then the team's `.diffwise/config.json`
 * (`"learning": {…}`, checked in), then the editor's `diffwise.learning.*`
 * settings, each overriding the one before.
 */
import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { LEARNING_DEFAULTS, type LearningSettings } from '../../shared/feedback';
import { definedOnly, readValidatedConfig } from '../configFile';

export const fileSchema = lazySchema(() => {
  const share = (effect: string) => z.number().min(0).max(1).optional().describe(effect);
  const learningSchema = z.strictObject({
    enabled: z.boolean().optional().describe('Demote, then suppress, the findings of rules the team keeps voting down. Off: votes are still recorded.'),
    minVotes: z.int().min(1).optional().describe('Votes a rule (or LLM category) needs before learning demotes or suppresses its findings.'),
    demoteBelow: share('Demote a rule\'s findings one severity step when the share of Helpful among its votes is below this (0..1).'),
    suppressBelow: share('Suppress a rule\'s findings when even the upper bound of the 95% Wilson interval of its acceptance is below this (0..1).'),
    similarity: share('Suppress a new LLM finding at least this similar (0..1, by message and code) to one voted Not helpful.'),
    promptExamples: z.int().min(0).max(20).optional().describe('Findings the team voted on that go into each LLM prompt as examples of what is and is not helpful.'),
  });
  return z.looseObject({ learning: learningSchema.optional().describe('Learning from votes: when a rule is demoted or suppressed.') });
});

export function loadLearningSettings(repoRoot: string, overrides: Partial<LearningSettings> = {}): LearningSettings {
  const fromFile: Partial<LearningSettings> = readValidatedConfig(repoRoot, fileSchema)?.learning ?? {};
  return { ...LEARNING_DEFAULTS, ...definedOnly(fromFile), ...definedOnly(overrides) };
}

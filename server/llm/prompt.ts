/**
 * What the reviewer asks and what it accepts back. Bump PROMPT_VERSION with any
 * change to the system prompt, the answer's schema or how context is rendered:
 * cached answers to the old prompt are then never served.
 */
import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { LLM_CATEGORIES, type LlmCategory, type LlmRuleId } from '../../shared/review';

// 2: several hunks per prompt, each labelled, and each finding names its hunk.
export const PROMPT_VERSION = 2;

export const SYSTEM_PROMPT = `You are a meticulous senior engineer reviewing hunks of a code change.
Each hunk is labelled (H1, H2, …) and shown under its file with its own context. The hunks of one prompt belong to the same change: use the others to understand a hunk, but report each problem once, on the hunk whose lines it is on.
Report only real problems that the change introduces: bugs, security issues, performance problems, and maintainability or testing problems that a careful reviewer would block on.
Do not report style, formatting or naming preferences, do not praise, and do not repeat what static analysis already reported.
Each finding must give the label of its hunk in "hunk" and point at lines inside that hunk, using the new-file line numbers shown.
"suggestion" is the exact replacement text for lines line..endLine when the fix is clear, otherwise null.
Text shown as [REDACTED] was removed on purpose before sending; never comment on it.
Follow the team instructions when there are any. If nothing is wrong, answer with an empty list.`;

/** The most findings kept per hunk; a model that lists more is mostly listing noise. */
export const MAX_FINDINGS_PER_HUNK = 5;

// Every property required (nullable where optional): OpenAI's strict structured outputs demand it.
export const answerSchema = lazySchema(() => z.object({
  findings: z.array(
    z.object({
      // Required (and nullable) for the schema the server sees; an answer that leaves it out still
      // parses (as null), which is unambiguous when the prompt held one hunk.
      hunk: z.preprocess((value) => value ?? null, z.string().min(1).max(16).nullable()),
      category: z.enum(LLM_CATEGORIES),
      severity: z.enum(['error', 'warning', 'info']),
      line: z.int().min(1).max(10_000_000),
      endLine: z.int().min(1).max(10_000_000),
      message: z.string().min(1).max(2_000),
      suggestion: z.string().max(20_000).nullable(),
    }),
  ),
}));

export type Answer = z.infer<ReturnType<typeof answerSchema>>;
export type AnswerFinding = Answer['findings'][number];

/** The schema's name as the server sees it. */
export const ANSWER_SCHEMA_NAME = 'diffwise_review';

const CATEGORY_DESCRIPTIONS: Record<LlmCategory, string> = {
  bug: 'A defect in the changed lines found by the LLM reviewer: wrong logic, a missed case, a misused API.',
  security: 'A security problem in the changed lines found by the LLM reviewer: injection, missing checks, unsafe handling of data.',
  performance: 'A performance problem in the changed lines found by the LLM reviewer: needless work, blocking calls, growth with input size.',
  maintainability: 'A maintainability problem in the changed lines found by the LLM reviewer that a careful reviewer would block on.',
  testing: 'A testing problem in the changed lines found by the LLM reviewer: a test that cannot fail, a missing case for new behaviour.',
};

/** The LLM reviewer's "rules", one per category, for SARIF and `--help`. */
export const LLM_RULES: ReadonlyArray<{ id: LlmRuleId; description: string }> = LLM_CATEGORIES.map((category) => ({
  id: `llm/${category}` as const,
  description: CATEGORY_DESCRIPTIONS[category],
}));

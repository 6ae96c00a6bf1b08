/**
 * Feedback on findings and what Diffwise learned from it: the documents that
 * `diffwise feedback --list --json` and `diffwise learned --json` print and that
 * the daemon returns to the editor. Defined once here.
 */
import type { FindingSource, Severity, Vote } from './review';

/** One vote as stored: what it was about, so that it still means something after the code moved on. */
export interface FeedbackRecord {
  id: string;
  findingId: string;
  /** `clear` withdraws the earlier vote on the same finding. */
  vote: Vote | 'clear';
  reason: string | null;
  ruleId: string;
  /** The LLM category (`bug`, `security`…) for LLM findings; the rule id for static ones. */
  category: string;
  /** `pull-request` for a vote on a teammate's review comment (an example for the LLM, no rule to learn). */
  source: FindingSource | 'pull-request';
  severity: Severity;
  file: string;
  line: number;
  message: string;
  /** Hash of the finding's lines with whitespace normalised: "the same code". */
  codeFingerprint: string;
  /** Hash of the message with whitespace and case normalised. */
  messageFingerprint: string;
  /** ISO 8601. */
  createdAt: string;
  /** `imported` for votes that came from a team's `.diffwise/learned.json`. */
  origin: 'local' | 'imported';
}

/** The `feedback` part of `diffwise metrics --json`: current votes (the latest per finding). */
export interface FeedbackSummary {
  up: number;
  down: number;
  /** up / (up + down); 0 without votes. */
  acceptanceRate: number;
  byRule: Record<string, { up: number; down: number }>;
}

/** The thresholds of learning; every one is a `diffwise.learning.*` setting. */
export interface LearningSettings {
  /** Off: votes are still recorded, but nothing is demoted or suppressed except what was voted down at its code. */
  enabled: boolean;
  /** Votes on a rule (or LLM category) before learning changes anything about it. */
  minVotes: number;
  /** Demote the rule's findings one severity step when its acceptance is below this. */
  demoteBelow: number;
  /** Suppress the rule's findings when the upper Wilson bound (95%) of its acceptance is below this. */
  suppressBelow: number;
  /** Suppress new LLM findings this similar (0..1, text and code) to one voted down before. */
  similarity: number;
  /** At most this many accepted and rejected examples go into each LLM prompt. */
  promptExamples: number;
}

export const LEARNING_DEFAULTS: LearningSettings = {
  enabled: true,
  minVotes: 3,
  demoteBelow: 0.5,
  suppressBelow: 0.3,
  similarity: 0.6,
  promptExamples: 4,
};

/** What learning concluded about one rule or LLM category. */
export interface LearnedRule {
  ruleId: string;
  up: number;
  down: number;
  acceptanceRate: number;
  /** The 95% Wilson interval of the acceptance rate. */
  lowerBound: number;
  upperBound: number;
  /** What happens to the rule's new findings; null: nothing. */
  action: 'demote' | 'suppress' | null;
}

/** A finding voted down at its code: not reported again until that code changes. */
export interface LearnedSuppression {
  findingId: string;
  ruleId: string;
  file: string;
  line: number;
  message: string;
  reason: string | null;
  votedAt: string;
  origin: 'local' | 'imported';
}

/** `diffwise learned --json`. */
export interface LearnedDocument {
  settings: LearningSettings;
  rules: LearnedRule[];
  suppressions: LearnedSuppression[];
  /** How many voted findings can serve as examples in LLM prompts. */
  examples: { accepted: number; rejected: number };
}

/** The file a team commits (`diffwise learned --export`) and others import. */
export interface LearnedFile {
  diffwise: 'learned';
  version: 1;
  exportedAt: string;
  votes: Array<Omit<FeedbackRecord, 'origin'> & { code: string }>;
}

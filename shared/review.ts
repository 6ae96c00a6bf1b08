/**
 * The review document: what `diffwise review --format json` prints and what the
 * daemon returns for a review request. Defined once here; the CLI, the LSP front
 * end and (later) the extension and the webviews all read this shape.
 */
import type { ImpactSummary } from './impact';

/** Which change a review covers. `branch` is the branch's own changes since it left a base. */
export type ReviewScope = 'working' | 'staged' | 'branch';

/** Severity of a finding, ordered error > warning > info. */
export type Severity = 'error' | 'warning' | 'info';

/** `partial` means some stage failed but what the others found is still delivered. */
export type RunStatus = 'ok' | 'partial' | 'failed';

/** Where a finding came from: the deterministic analyzers or the LLM reviewer. */
export type FindingSource = 'static' | 'llm';

/** The fixed ids of the static rules. */
export type StaticRuleId = 'breaking-change' | 'secret' | 'debug-leftover' | 'conflict-marker' | 'co-change' | 'import-cycle';

/** What the LLM reviewer may call a problem; its findings' rule id is `llm/<category>`. */
export const LLM_CATEGORIES = ['bug', 'security', 'performance', 'maintainability', 'testing'] as const;
export type LlmCategory = (typeof LLM_CATEGORIES)[number];
export type LlmRuleId = `llm/${LlmCategory}`;

/** Any rule id a finding can carry. */
export type RuleId = StaticRuleId | LlmRuleId;

/** A place elsewhere in the workspace that a finding is about (for example a caller). */
export interface RelatedLocation {
  /** Repository-relative path with forward slashes. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based UTF-16 column on `line` where the place's code starts (the call that breaks). Absent: the whole line. */
  column?: number;
  /** 1-based UTF-16 column on `line` just past the place's code; present with `column`. */
  endColumn?: number;
  message: string;
}

/** One problem found in the change. */
export interface Finding {
  /** Stable: the same finding on the same code gets the same id even when lines above it moved. */
  id: string;
  ruleId: string;
  source: FindingSource;
  severity: Severity;
  /** Repository-relative path with forward slashes. */
  file: string;
  /** 1-based, in the reviewed version of the file. */
  line: number;
  endLine: number;
  /**
   * 1-based UTF-16 column on `line` where the finding's code starts (the call,
   * the secret's literal, the changed parameter). Absent: the whole lines.
   */
  column?: number;
  /** 1-based UTF-16 column just past the finding's code on `endLine`; present with `column`. */
  endColumn?: number;
  message: string;
  /** Replacement text for lines `line..endLine`, when the rule knows the fix. */
  suggestion: string | null;
  /** The declaration the finding is about, when there is one. */
  symbol: string | null;
  related: RelatedLocation[];
  /**
   * Set when what the team voted changed this finding: `demoted` (one severity
   * step down; `originalSeverity` says from what) or `suppressed` (not reported;
   * listed only with `--show-suppressed`). Absent when learning changed nothing.
   */
  learned?: LearnedAction;
  /** Why learning changed it, one line (with `learned`). */
  learnedReason?: string;
  /** True for a finding that is not reported; present only in `--show-suppressed` output and the feedback panel. */
  suppressed?: boolean;
  /**
   * True for a finding the user chose to ignore ("Ignore this finding"): it is
   * `suppressed` too, listed with `--show-suppressed` and in the feedback panel,
   * and "Unignore" brings it back.
   */
  ignored?: boolean;
  /** The severity the rule gave, when learning demoted it. */
  originalSeverity?: Severity;
  /** The user's current vote on this finding at this code, if any. */
  vote?: Vote;
}

/** A thumbs up (helpful) or down (not helpful) on a finding. */
export type Vote = 'up' | 'down';

/** What learning from votes did to a finding. */
export type LearnedAction = 'demoted' | 'suppressed';

/** A stage that failed during a run; the run is then `partial` or `failed`. */
export interface RunError {
  stage: string;
  message: string;
  /**
   * True when this failure fails the whole run (the store could not be written:
   * a full disk, a lock, no permission): the run is then `failed`, not `partial`.
   */
  fatal?: boolean;
}

/** Why a changed file was not (wholly) reviewed. */
export type SkipReason =
  /** Not text: no rule reads it. */
  | 'binary'
  /** Over the size limit of the rules that parse; the line rules (secrets, conflict markers) still ran unless even they could not. */
  | 'too-large'
  /** Its name is not valid UTF-8, so it cannot be read back by name. */
  | 'name-not-utf8'
  /** Unmerged in the index (`--staged` during a merge): there is no staged version to review. */
  | 'conflicted'
  /** It does not parse: the rules that need its syntax tree did not judge it. */
  | 'does-not-parse'
  /** It could not be read (permissions, gone during the review). */
  | 'unreadable'
  /** A rule could not judge it for a reason of its own (the type checker failed on it, say). */
  | 'not-judged'
  /** Generated code (`Code generated … DO NOT EDIT`, `@Generated`): indexed, not reviewed. */
  | 'generated'
  /** Source of a language read as UTF-8 that is not valid UTF-8: indexed (as Latin-1), not reviewed. */
  | 'not-utf8';

/** A changed file that was not (wholly) reviewed. */
export interface SkippedFile {
  /** Repository-relative path with forward slashes. */
  file: string;
  reason: SkipReason;
  /** The rules that did not run on it; empty when none applies (a binary file). */
  rules: string[];
  /** One line for people: what was not done and, where it helps, what to do. */
  detail: string;
}

/** What one review run covered and how it went. */
export interface ReviewRun {
  id: string;
  scope: ReviewScope;
  /** The ref the user asked to compare against (`branch` scope only). */
  base: string | null;
  mergeBase: string | null;
  head: string | null;
  status: RunStatus;
  /** ISO 8601. */
  startedAt: string;
  durationMs: number;
  files: number;
  hunks: number;
  cacheHits: number;
  llmCalls: number;
  tokens: { prompt: number; completion: number };
  costUsd: number;
  errors: RunError[];
  /**
   * What the user should know about this run that is no failure: a file a rule
   * could not judge (a syntax error in a module whose API it compares), with why.
   */
  notices: string[];
  /**
   * Changed files that were not (wholly) reviewed, each with why and which rules
   * did not run on it. A file listed with rules makes the run `partial`; a binary
   * file, which no rule reads, is listed with none.
   */
  skipped: SkippedFile[];
  /** What the LLM reviewer did in this run; null when no LLM is configured (or `--no-llm`). */
  llm: LlmRunSummary | null;
  /** How many findings learning from votes suppressed (not in `findings` unless asked for) and demoted. */
  learning: { suppressed: number; demoted: number };
}

/** Why the LLM reviewer sent nothing for a run. */
export type LlmSkipReason = 'budget' | 'untrusted' | 'disabled';

/** The LLM part of a run: what was sent, what was not and why, and what it cost. */
export interface LlmRunSummary {
  model: string;
  /** Set when no hunk was sent at all for a reason other than failures. */
  skipped: LlmSkipReason | null;
  /** Hunks asked about in this run; small ones share a call (the calls are in `run.llmCalls`). */
  hunksSent: number;
  /** Hunks whose answer came from the review cache: no call. */
  hunksCached: number;
  /** Hunks never sent: their path matches the exclusion list, or they add no lines. */
  hunksExcluded: number;
  /** Hunks not reviewed because the monthly budget was reached. */
  hunksOverBudget: number;
  /** Hunks whose call failed (the errors are in `run.errors`). */
  hunksFailed: number;
  /** What the cached answers cost when they were first asked. */
  savedUsd: number;
  /** Secrets replaced by `[REDACTED]` in what was sent. */
  redactions: number;
  /** Context left out to keep prompts within the token budget, one line per hunk that lost some. */
  contextOmitted: string[];
  /** The monthly budget, when one is set. */
  budget: LlmBudgetState | null;
}

export interface LlmBudgetState {
  monthlyUsd: number;
  /** Spent this calendar month (UTC), this run included. */
  spentUsd: number;
  /** True from 80% of the budget on. */
  warning: boolean;
  /** True when the budget is used up (calls stop unless overridden). */
  exhausted: boolean;
}

/** The full result of a review. */
export interface ReviewDocument {
  run: ReviewRun;
  findings: Finding[];
  /** What the change reaches through the imports (absent when the run failed, or the index could not say). */
  impact?: ImpactSummary;
}

/** How many findings there are of each severity. */
export function countBySeverity(findings: readonly Pick<Finding, 'severity'>[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** Severities from most to least severe; used for sorting and for `--fail-on`. */
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

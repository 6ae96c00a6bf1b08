/**
 * The learning policy: what the team's votes do to a review's findings. Pure
 * functions over the votes and the findings, so the same policy runs in the
 * reviewer, in `diffwise learned` and in the benchmark.
 *
 * In order, for each finding:
 * 1. a vote on this finding decides: down suppresses it until its code changes
 *    (a finding's id is a hash of its rule, file and code, and survives moves);
 *    up keeps it as the rule gave it;
 * 2. an LLM finding close to one voted down in the same file and category (and
 *    closer to it than to any voted up there) is suppressed: a model rewording
 *    what it said before says it about the same place; comparing across files
 *    mostly matched other problems with similar wording (npm run bench learning);
 * 3. the rule's own record: with at least `minVotes` votes, an acceptance below
 *    `demoteBelow` demotes it one severity step; an upper 95% Wilson bound below
 *    `suppressBelow` (strong evidence it is mostly noise) suppresses it.
 * Nothing is dropped silently: every change is marked on the finding with its reason.
 */
import type { FeedbackRecord, LearnedRule, LearningSettings } from '../../shared/feedback';
import type { Finding, Severity } from '../../shared/review';
import type { FingerprintedFinding } from './fingerprints';
import { shapeOf, shapeSimilarity, type FindingShape } from './similarity';

/** A stored vote with the code it was cast on (for similarity and prompt examples). */
export type StoredVote = FeedbackRecord & { code: string };

/** Rules whose findings are too costly to miss for learning to hide them wholesale: they are only demoted. */
const NEVER_SUPPRESSED_RULES: ReadonlySet<string> = new Set(['secret', 'conflict-marker']);

/** 95% two-sided. */
const Z = 1.96;

/** The vote that counts for each finding: the latest one; a `clear` withdraws. `records` in any order. */
export function currentVotes<T extends FeedbackRecord>(records: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const record of [...records].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) latest.set(record.findingId, record);
  return [...latest.values()].filter((record) => record.vote !== 'clear');
}

/** The Wilson score interval of a proportion `up / n` (0..1 both ends; [0, 1] without votes). */
export function wilsonInterval(up: number, n: number, z = Z): { lower: number; upper: number } {
  if (n === 0) return { lower: 0, upper: 1 };
  const p = up / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  return { lower: Math.max(0, (centre - spread) / denominator), upper: Math.min(1, (centre + spread) / denominator) };
}

/** What the votes say about each rule (or LLM category) that has any. */
export function ruleVerdicts(votes: readonly FeedbackRecord[], settings: LearningSettings): Map<string, LearnedRule> {
  const counts = new Map<string, { up: number; down: number }>();
  for (const vote of votes) {
    // A vote on a teammate's pull-request comment says nothing about any rule.
    if (vote.vote === 'clear' || vote.source === 'pull-request') continue;
    const count = counts.get(vote.ruleId) ?? { up: 0, down: 0 };
    count[vote.vote]++;
    counts.set(vote.ruleId, count);
  }
  const verdicts = new Map<string, LearnedRule>();
  for (const [ruleId, { up, down }] of counts) {
    const n = up + down;
    const { lower, upper } = wilsonInterval(up, n);
    const acceptanceRate = up / n;
    let action: LearnedRule['action'] = null;
    if (settings.enabled && n >= settings.minVotes) {
      if (upper < settings.suppressBelow && !NEVER_SUPPRESSED_RULES.has(ruleId)) action = 'suppress';
      else if (acceptanceRate < settings.demoteBelow) action = 'demote';
    }
    verdicts.set(ruleId, { ruleId, up, down, acceptanceRate: round(acceptanceRate), lowerBound: round(lower), upperBound: round(upper), action });
  }
  return verdicts;
}

export interface LearningOutcome {
  /** Every finding, marked; the suppressed ones carry `suppressed: true`. */
  findings: Finding[];
  suppressed: number;
  demoted: number;
}

/** Applies the policy to a review's findings. `votes` are the current ones (see currentVotes). */
export function applyLearning(items: readonly FingerprintedFinding[], votes: readonly StoredVote[], settings: LearningSettings): LearningOutcome {
  const verdicts = ruleVerdicts(votes, settings);
  const byId = new Map(votes.map((vote) => [vote.findingId, vote]));
  // LLM votes by rule and file; their trigram shapes are computed only for the files that have LLM findings, once.
  const llmVotes = new Map<string, StoredVote[]>();
  for (const vote of votes) {
    if (vote.source !== 'llm') continue;
    const key = `${vote.ruleId}\u0000${vote.file}`;
    const group = llmVotes.get(key);
    if (group) group.push(vote);
    else llmVotes.set(key, [vote]);
  }
  const shaped = new Map<string, Array<{ vote: StoredVote; shape: FindingShape }>>();
  const neighboursOf = (key: string) => {
    if (!shaped.has(key)) shaped.set(key, (llmVotes.get(key) ?? []).map((vote) => ({ vote, shape: shapeOf(vote) })));
    return shaped.get(key)!;
  };
  let suppressed = 0;
  let demoted = 0;

  const findings = items.map((item): Finding => {
    const { finding } = item;
    const vote = byId.get(finding.id);
    if (vote?.vote === 'down') suppressed++;
    if (vote) return withVote(finding, vote);
    if (!settings.enabled) return finding;

    const key = `${finding.ruleId}\u0000${finding.file}`;
    if (finding.source === 'llm' && llmVotes.has(key)) {
      const neighbours = neighboursOf(key);
      const shape = shapeOf({ message: finding.message, code: item.code });
      const rejected = closest(shape, neighbours, 'down');
      if (rejected && rejected.score >= settings.similarity && rejected.score > (closest(shape, neighbours, 'up')?.score ?? 0)) {
        suppressed++;
        return {
          ...finding, learned: 'suppressed', suppressed: true,
          learnedReason: `close (${Math.round(rejected.score * 100)}%) to a finding voted down here: "${clip(rejected.vote.message)}"${rejected.vote.reason ? ` (${rejected.vote.reason})` : ''}`,
        };
      }
    }

    const verdict = verdicts.get(finding.ruleId);
    const record = verdict && `${verdict.up} of ${verdict.up + verdict.down} votes on ${finding.ruleId} found it helpful`;
    if (verdict?.action === 'suppress') {
      suppressed++;
      return { ...finding, learned: 'suppressed', suppressed: true, learnedReason: `${record} (at most ${percent(verdict.upperBound)} at 95% confidence)` };
    }
    if (verdict?.action === 'demote' && finding.severity !== 'info') {
      demoted++;
      return { ...finding, severity: demote(finding.severity), originalSeverity: finding.severity, learned: 'demoted', learnedReason: `${record}: demoted from ${finding.severity}` };
    }
    return finding;
  });
  return { findings, suppressed, demoted };
}

/**
 * A finding as a vote leaves it: down suppresses it (the vote is the reason); up
 * keeps it as its rule gave it, undoing any learning; clear withdraws the vote
 * and, until the next review decides afresh, the suppression the vote caused.
 */
export function withVote(finding: Finding, vote: Pick<FeedbackRecord, 'vote' | 'reason' | 'createdAt'>): Finding {
  const { learned: _learned, learnedReason: _reason, suppressed: _suppressed, originalSeverity, vote: _vote, ...plain } = finding;
  const unlearned: Finding = { ...plain, severity: originalSeverity ?? finding.severity };
  if (vote.vote === 'down') {
    return { ...unlearned, vote: 'down', learned: 'suppressed', suppressed: true, learnedReason: `voted down at this code on ${vote.createdAt.slice(0, 10)}${vote.reason ? `: ${vote.reason}` : ''}` };
  }
  if (vote.vote === 'up') return { ...unlearned, vote: 'up' };
  return finding.vote === 'down' ? unlearned : { ...finding, vote: undefined };
}

function closest(shape: FindingShape, candidates: ReadonlyArray<{ vote: StoredVote; shape: FindingShape }>, kind: 'up' | 'down'): { vote: StoredVote; score: number } | undefined {
  let best: { vote: StoredVote; score: number } | undefined;
  for (const { vote, shape: other } of candidates) {
    if (vote.vote !== kind) continue;
    const score = shapeSimilarity(shape, other);
    if (!best || score > best.score) best = { vote, score };
  }
  return best;
}

function demote(severity: Severity): Severity {
  return severity === 'error' ? 'warning' : 'info';
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

function round(value: number): number {
  return Number(value.toFixed(4));
}

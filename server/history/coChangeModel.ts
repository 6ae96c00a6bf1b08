/**
 * The co-change model: from a list of commits (each a set of files), how often
 * each file changed and how often each pair changed together, and from those the
 * partners of a file: B is a partner of A when they changed together in at least
 * `minSupport` commits and P(B | A) = together / changes(A) ≥ `minConfidence`.
 */

/** One commit as mining sees it: the files it touched, exclusions already applied. */
export interface MinedCommit {
  sha: string;
  files: readonly string[];
}

export interface CoChangeThresholds {
  /** Commits in which both files changed. */
  minSupport: number;
  /** Share of the commits touching the file that also touched the partner (0..1). */
  minConfidence: number;
}

export interface CoChangeLimits {
  /** Commits with more files than this are bulk changes (renames, formatting, upgrades) and are left out. */
  maxFilesPerCommit: number;
}

/** The defaults, chosen from `npm run bench coChange` (see docs/rules/co-change.md). */
export const CO_CHANGE_DEFAULTS: CoChangeThresholds & CoChangeLimits & { commits: number } = {
  commits: 1000,
  maxFilesPerCommit: 30,
  minSupport: 3,
  // 0.5 measured a precision of 0.41 on this repository's own history; 0.7 keeps every measured one ≥ 0.5.
  minConfidence: 0.7,
};

/** A file that tends to change with another one. */
export interface CoChangePartner {
  file: string;
  partner: string;
  /** Commits that touched both. */
  support: number;
  /** support / commits that touched `file`. */
  confidence: number;
}

export class CoChangeModel {
  private readonly changes = new Map<string, number>();
  /** together.get(a).get(b): commits touching both a and b (kept both ways round). */
  private readonly together = new Map<string, Map<string, number>>();
  private commitCount = 0;

  private readonly maxFiles: number;

  constructor(limits: CoChangeLimits = CO_CHANGE_DEFAULTS) {
    this.maxFiles = limits.maxFilesPerCommit;
  }

  /** Adds a commit; one over the size limit is a bulk change and is left out entirely. */
  add(commit: MinedCommit): void {
    const files = [...new Set(commit.files)];
    if (files.length === 0 || files.length > this.maxFiles) return;
    this.commitCount++;
    for (const file of files) this.changes.set(file, (this.changes.get(file) ?? 0) + 1);
    for (let i = 0; i < files.length; i++) {
      for (let j = i + 1; j < files.length; j++) {
        this.bump(files[i], files[j]);
        this.bump(files[j], files[i]);
      }
    }
  }

  /** Commits that counted (not bulk, not empty after exclusions). */
  get commits(): number {
    return this.commitCount;
  }

  changesOf(file: string): number {
    return this.changes.get(file) ?? 0;
  }

  /** The partners of `file` over the thresholds, most confident first (then most support, then by name). */
  partnersOf(file: string, thresholds: CoChangeThresholds): CoChangePartner[] {
    const total = this.changes.get(file) ?? 0;
    const row = this.together.get(file);
    if (!row || total === 0) return [];
    const partners: CoChangePartner[] = [];
    for (const [partner, support] of row) {
      const confidence = support / total;
      if (support >= thresholds.minSupport && confidence >= thresholds.minConfidence) partners.push({ file, partner, support, confidence });
    }
    return partners.sort((a, b) => b.confidence - a.confidence || b.support - a.support || a.partner.localeCompare(b.partner));
  }

  private bump(a: string, b: string): void {
    let row = this.together.get(a);
    if (!row) this.together.set(a, (row = new Map()));
    row.set(b, (row.get(b) ?? 0) + 1);
  }
}

/** The model of `commits` (any order: counting does not depend on it). */
export function mineCoChanges(commits: Iterable<MinedCommit>, limits: CoChangeLimits = CO_CHANGE_DEFAULTS): CoChangeModel {
  const model = new CoChangeModel(limits);
  for (const commit of commits) model.add(commit);
  return model;
}

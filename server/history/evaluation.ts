/**
 * How good the co-change suggestions are, measured on the history itself: for
 * each of the last `evaluated` commits, a model mined only from the commits
 * before it, each file of the commit asks for its partners, and we count how
 * many suggested partners the commit did touch (precision) and how many of the
 * commit's other files were suggested (recall). No suggestion is no error:
 * commits where nothing was suggested lower recall only, and are counted apart.
 */
import { CoChangeModel, type CoChangeLimits, type CoChangeThresholds, type MinedCommit } from './coChangeModel';

export interface EvaluationResult {
  /** Commits evaluated (with at least two files, so that a partner could have been right). */
  commits: number;
  /** Commits where at least one partner was suggested. */
  commitsWithSuggestions: number;
  suggested: number;
  /** Suggested partners that the commit touched. */
  correct: number;
  /** The commits' (file, other file) pairs: what perfect recall would suggest. */
  possible: number;
  /** correct / suggested (1 when nothing was suggested: no suggestion was wrong). */
  precision: number;
  /** Files of the commits that some other file of the same commit suggested, over all such files. */
  recall: number;
  /** Of the files that could have been suggested, those that were. */
  recalled: number;
  recallable: number;
}

/**
 * Evaluates on `oldestFirst` (the history, oldest commit first): the last `evaluated`
 * commits are each judged by a model of those before them, up to `window` of them.
 * The model is extended commit by commit, so a window covers the whole prefix when
 * `window` is not smaller than the history.
 */
export function evaluateCoChange(
  oldestFirst: readonly MinedCommit[],
  options: CoChangeThresholds & CoChangeLimits & { evaluated: number },
): EvaluationResult {
  const start = Math.max(0, oldestFirst.length - options.evaluated);
  const model = new CoChangeModel(options);
  for (const commit of oldestFirst.slice(0, start)) model.add(commit);
  let commits = 0, commitsWithSuggestions = 0, suggested = 0, correct = 0, possible = 0, recalled = 0, recallable = 0;
  for (const commit of oldestFirst.slice(start)) {
    const files = [...new Set(commit.files)];
    // A commit of one file, or a bulk one, is not a test of pairs (mining leaves the bulk ones out too).
    if (files.length >= 2 && files.length <= options.maxFilesPerCommit) {
      commits++;
      const inCommit = new Set(files);
      const hit = new Set<string>();
      let any = false;
      for (const file of files) {
        for (const partner of model.partnersOf(file, options)) {
          any = true;
          suggested++;
          if (inCommit.has(partner.partner)) {
            correct++;
            hit.add(partner.partner);
          }
        }
      }
      if (any) commitsWithSuggestions++;
      possible += files.length * (files.length - 1);
      recalled += hit.size;
      recallable += files.length;
    }
    model.add(commit);
  }
  return {
    commits, commitsWithSuggestions, suggested, correct, possible,
    precision: suggested === 0 ? 1 : correct / suggested,
    recall: recallable === 0 ? 0 : recalled / recallable,
    recalled, recallable,
  };
}

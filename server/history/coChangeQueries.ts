/**
 * What a review asks of the history: the co-change partners of a file, from a
 * model loaded once per review (the first question pays for reading git log).
 * With the rule turned off every answer is empty and the history is never read.
 * The settings are read at the first question, so that a bad config file fails
 * the rule's stage (the run is partial), not the whole review.
 */
import type { Db } from '../store/database';
import type { CoChangePartner } from './coChangeModel';
import { loadCoChangeModel, type HistoryLoad } from './coChangeHistory';
import { CoChangeStore } from './coChangeStore';
import { loadCoChangeSettings, type CoChangeSettings } from './settings';

export type CoChangePartnersOf = (file: string, head: string | null) => Promise<CoChangePartner[]>;

export interface CoChangeQueryOptions {
  /** The editor's or the CLI's say, over `.diffwise/config.json`'s. */
  overrides?: Partial<CoChangeSettings>;
  isGenerated?: (file: string) => boolean;
  /** Told how the model was loaded (commits read from git, from the store). */
  onLoad?: (load: HistoryLoad) => void;
}

/** The partners query for one review. */
export function coChangeQueries(repoRoot: string, db: Db, options: CoChangeQueryOptions = {}): CoChangePartnersOf {
  let settings: CoChangeSettings | undefined;
  let loading: Promise<HistoryLoad> | undefined;
  return async (file, head) => {
    settings ??= loadCoChangeSettings(repoRoot, options.overrides);
    if (!settings.enabled) return [];
    const { commits, maxFilesPerCommit } = settings;
    loading ??= loadCoChangeModel(repoRoot, new CoChangeStore(db), {
      commits,
      maxFilesPerCommit,
      isGenerated: options.isGenerated,
      head,
    }).then((load) => {
      options.onLoad?.(load);
      return load;
    });
    return (await loading).model.partnersOf(file, settings);
  };
}

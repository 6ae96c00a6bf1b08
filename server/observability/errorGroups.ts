/**
 * Failures grouped by fingerprint in memory, for a store that keeps the runs but not the
 * groups (the team service's PostgreSQL, whose dashboard shows the Errors section of the
 * metrics panel): the same groups, fingerprints and wording as the SQLite store's
 * (store/errorStore.ts), since both go through groupOf.
 */
import type { ErrorGroup } from '../../shared/observability';
import type { Failure } from '../store/errorStore';
import { groupOf } from './errorFingerprint';

/** The failures of each occurrence (a run, or a job that failed before its run), with when and which. */
export interface FailureOccurrence {
  failures: readonly Failure[];
  /** ISO time. */
  at: string;
  runId: string | null;
}

/** The groups, the most recently seen first, then the most frequent, at most `limit`. */
export function errorGroupsOf(occurrences: readonly FailureOccurrence[], limit = 100): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const { failures, at, runId } of [...occurrences].sort((a, b) => a.at.localeCompare(b.at))) {
    for (const failure of failures) {
      const { fingerprint, message, example } = groupOf(failure);
      const group = groups.get(fingerprint);
      if (group) {
        group.count++;
        group.lastSeen = at;
        group.example = example;
        group.exampleRunId = runId ?? group.exampleRunId;
      } else {
        groups.set(fingerprint, { fingerprint, stage: failure.stage, errorClass: failure.errorClass, message, example, count: 1, firstSeen: at, lastSeen: at, exampleRunId: runId });
      }
    }
  }
  return [...groups.values()].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || b.count - a.count).slice(0, limit);
}

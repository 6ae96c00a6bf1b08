/**
 * The review cache shared by every worker through PostgreSQL. Each clone keeps its own
 * SQLite cache (what the review core reads); before a review it copies in what the team
 * added since its last look (a watermark on the shared table's seq, kept in the clone's
 * meta table), and after the review it copies out what the review added. Entries are
 * content-addressed, so copying one twice, or from two workers at once, changes nothing.
 */
import type { Workspace } from '../../workspace';
import type { ServiceStore } from '../store/serviceStore';

/** The shared table's seq this clone has copied up to (the meta table: rebuildable, 0 when lost). */
const WATERMARK_KEY = 'service-shared-cache-seq';

/** At most this many entries are copied in per review: a new clone catches up over a few reviews, not in one long pause. */
const MAX_IMPORTED = 20_000;

export interface CacheImport {
  added: number;
  /** The keys copied in, so that copying out does not send them back. */
  keys: Set<string>;
}

export async function importSharedCache(store: ServiceStore, workspace: Workspace): Promise<CacheImport> {
  let seq = Number(workspace.store.meta(WATERMARK_KEY) ?? 0);
  if (!Number.isFinite(seq) || seq < 0) seq = 0;
  const keys = new Set<string>();
  let added = 0;
  while (keys.size < MAX_IMPORTED) {
    const entries = await store.cacheEntriesAfter(seq);
    if (!entries.length) break;
    added += workspace.cacheStore.putMany(entries, Date.now());
    for (const entry of entries) keys.add(entry.key);
    seq = entries[entries.length - 1].seq;
    workspace.store.setMeta(WATERMARK_KEY, String(seq));
  }
  return { added, keys };
}

/** Copies out the entries this clone added at or after `sinceMs`, except those it was given; returns how many were sent. */
export async function exportSharedCache(store: ServiceStore, workspace: Workspace, sinceMs: number, imported: ReadonlySet<string>): Promise<number> {
  const fresh = workspace.cacheStore.entriesCreatedSince(sinceMs).filter((entry) => !imported.has(entry.key));
  if (fresh.length) await store.putCacheEntries(fresh);
  return fresh.length;
}

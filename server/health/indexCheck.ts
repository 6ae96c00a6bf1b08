/**
 * Whether the index is up to date with the work tree: the indexer's own cheap test
 * (a file is read again only when its size or mtime changed) asked of the `files`
 * table, without reading a file or writing a row; and what it holds per language.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HealthCheck } from '../../shared/observability';
import type { GitRepository } from '../git/repository';
import { totalsByLanguage } from '../index/languageTotals';
import { isIndexablePath } from '../index/languages';
import type { Db } from '../store/database';
import { IndexStore } from '../store/indexStore';

/** How many stale paths the detail names before it only counts. */
const NAMED = 3;

export async function indexCheck(db: Db | null, repo: GitRepository): Promise<HealthCheck> {
  const title = 'Index';
  if (!db) return { id: 'index', title, status: 'warning', detail: 'no index yet', fix: 'run diffwise index' };
  const store = new IndexStore(db);
  const catalog = store.catalog();
  if (catalog.size === 0) return { id: 'index', title, status: 'warning', detail: 'the index is empty', fix: 'run diffwise index' };
  const stale: string[] = [];
  const present = new Set<string>();
  for (const relative of await repo.listWorkspaceFiles()) {
    if (!isIndexablePath(relative)) continue;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(path.join(repo.root, relative));
    } catch {
      continue; // listed by git but deleted from disk: absent, as the indexer sees it
    }
    if (!stat.isFile()) continue;
    present.add(relative);
    const entry = catalog.get(relative);
    if (!entry || entry.size !== stat.size || entry.mtimeMs !== stat.mtimeMs) stale.push(relative);
  }
  for (const known of catalog.keys()) if (!present.has(known)) stale.push(known);
  const languages = totalsByLanguage(store).map((totals) => `${totals.language} ${totals.files}`).join(', ') || 'no parsed files';
  if (stale.length === 0) return { id: 'index', title, status: 'ok', detail: `fresh: ${languages}` };
  const named = stale.slice(0, NAMED).join(', ') + (stale.length > NAMED ? ` and ${stale.length - NAMED} more` : '');
  return {
    id: 'index', title, status: 'warning',
    detail: `stale: ${stale.length} file(s) changed since the last pass (${named}); ${languages}`,
    fix: 'run diffwise index (the editor refreshes it on save and before each review)',
  };
}

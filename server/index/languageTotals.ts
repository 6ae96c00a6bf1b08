/** The index's contents by language, for `diffwise index` (its figures per language). */
import { adapterFor } from '../languages/registry';
import type { IndexStore } from '../store/indexStore';
import type { LanguageTotals } from '../../shared/indexSummary';
import { scriptKindOf } from './languages';

/** Every language with at least one parsed file, most files first. */
export function totalsByLanguage(store: IndexStore): LanguageTotals[] {
  const byLanguage = new Map<string, LanguageTotals>();
  for (const { path, symbols, imports } of store.countsPerFile()) {
    const language = adapterFor(path)?.displayName ?? (scriptKindOf(path) !== undefined ? 'TypeScript/JavaScript' : 'other');
    let totals = byLanguage.get(language);
    if (!totals) byLanguage.set(language, (totals = { language, files: 0, symbols: 0, imports: 0 }));
    totals.files++;
    totals.symbols += symbols;
    totals.imports += imports;
  }
  return [...byLanguage.values()].sort((a, b) => b.files - a.files || a.language.localeCompare(b.language));
}

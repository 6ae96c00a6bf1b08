/**
 * What a review asks the index about the languages tree-sitter parses
 * (compatibility/languageBreaks.ts's `LanguageIndex`), over one store and one work
 * tree. Made once per review: its listing of the paths is taken on first use, after
 * the review's index pass.
 */
import type { LanguageIndex } from '../review/compatibility/languageBreaks';
import type { IndexStore } from '../store/indexStore';
import { readWorkTreeText } from '../workTreeText';

export function reviewIndex(root: string, store: IndexStore, resolverIncluding: (extraPath: string) => (importer: string, specifier: string) => string | null): LanguageIndex {
  let paths: ReadonlySet<string> | undefined;
  // One resolver per file that left (asked once per break and target): building one lists the catalogue.
  const resolvers = new Map<string, (importer: string, specifier: string) => string | null>();
  return {
    importsOf: (target) => store.importsOf(target),
    importsAsIfPresent: (gone, target) => {
      // Unresolved imports whose text names the file (`shop.pricing`, `com.shop.Pricing`, `…/store`), resolved as if it were there.
      let resolve = resolvers.get(gone);
      if (!resolve) resolvers.set(gone, (resolve = resolverIncluding(gone)));
      const name = gone.slice(gone.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
      const folder = target.slice(target.lastIndexOf('/') + 1);
      return store.unresolvedImportsMentioning(target === gone ? name : folder).filter((row) => resolve(row.file, row.specifier) === target);
    },
    paths: () => (paths ??= new Set(store.paths())),
    textOf: (file) => readWorkTreeText(root, file),
  };
}

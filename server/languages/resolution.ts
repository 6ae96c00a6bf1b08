/**
 * Import resolution for the tree-sitter languages, behind the index's one
 * resolver (server/index/resolver.ts delegates here by the importer's language).
 * Each language's resolver is built on its first import, over the paths the index
 * holds and the build files it was given: one per resolver instance, which the
 * indexer rebuilds whenever a build file's content changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LanguageAdapter, ModuleResolver, ProjectView } from './model';

/** What the index offers: a membership test, and (Sets, the pending pass) the whole list. */
interface IndexedPaths {
  has(path: string): boolean;
  all?(): ReadonlySet<string>;
}

export class LanguageResolvers {
  private resolvers = new Map<LanguageAdapter, ModuleResolver>();
  private view: ProjectView | undefined;
  /** The listing the resolvers were built over: a new one (the index changed) builds them again. */
  private listing: ReadonlySet<string> | undefined;

  constructor(
    private readonly root: string,
    private readonly indexed: IndexedPaths,
    private readonly buildFiles: readonly string[],
  ) {}

  resolve(adapter: LanguageAdapter, importer: string, specifier: string): string | null {
    const listing = this.indexed instanceof Set ? (this.indexed as ReadonlySet<string>) : this.indexed.all?.() ?? new Set<string>();
    if (listing !== this.listing) {
      this.listing = listing;
      this.view = undefined;
      this.resolvers = new Map();
    }
    let resolver = this.resolvers.get(adapter);
    if (!resolver) {
      resolver = adapter.createResolver(this.project());
      this.resolvers.set(adapter, resolver);
    }
    return resolver.resolve(importer, specifier);
  }

  private project(): ProjectView {
    if (this.view) return this.view;
    const paths = new Set(this.listing);
    for (const file of this.buildFiles) paths.add(file);
    const root = this.root;
    this.view = {
      paths,
      readText(file: string): string | null {
        try {
          return fs.readFileSync(path.join(root, file), 'utf8');
        } catch {
          return null;
        }
      },
    };
    return this.view;
  }
}

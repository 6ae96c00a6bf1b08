/**
 * What the impact CodeLens says, from an impact document: pure (no `vscode`), so the
 * unit tier checks it in plain Node.
 */
import type { GraphDocument, ImpactDocument } from '../shared/impact';

/** One lens: where it goes and what it says. */
export interface ImpactLensEntry {
  file: string;
  /** 1-based line of the export's declaration. */
  line: number;
  symbol: string;
  dependents: number;
  tests: number;
}

/**
 * The lenses of an impact document: one per changed export whose declaration line the
 * graph knows, counting the dependents (and the tests among them) reached through its module.
 */
export function impactLensEntries(impact: ImpactDocument & { graph: GraphDocument }): ImpactLensEntry[] {
  const lineOf = new Map(impact.graph.nodes.filter((node) => node.kind === 'symbol' && node.line).map((node) => [node.id, node.line!]));
  return impact.changed.flatMap((module) => {
    const reached = impact.dependents.filter((dependent) => dependent.path[0] === module.file);
    const dependents = reached.length;
    const tests = reached.filter((dependent) => dependent.test).length;
    return module.symbols.flatMap((symbol) => {
      const line = lineOf.get(`${module.file}#${symbol}`);
      return line ? [{ file: module.file, line, symbol, dependents, tests }] : [];
    });
  });
}

export function lensTitle(entry: Pick<ImpactLensEntry, 'dependents' | 'tests'>): string {
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  return `${count(entry.dependents, 'dependent')}, ${count(entry.tests, 'test')}`;
}

/**
 * The LLM's context for a hunk of Python, Go or Java: the enclosing function or
 * class (the language's adapter finds it on the tree-sitter tree), the
 * declarations the changed lines call (found by name among the file's own and its
 * imports' declarations in the index), and the places that use the public
 * declarations the hunk touches. The same sections as for TypeScript (context.ts).
 */
import { adapterFor, loadParsersFor, withParsedFile } from '../languages/registry';
import type { StoredImport, StoredSymbol } from '../store/indexStore';
import { CALLEES, DEPENDENTS, enclosingSection, MAX_CALLEES, MAX_USES_PER_EXPORT, type ContextSources, type Section } from './context';

/** `name(` or `receiver.name(` (`new Name(` too): what a line calls, by name. */
const CALL = /(?:\b([A-Za-z_]\w*)\s*\.\s*)?\b([A-Za-z_]\w*)\s*\(/g;
/** Words that look like calls and are not: control flow and declarations in the three languages. */
const NOT_CALLS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'def', 'func', 'class', 'print', 'super', 'this', 'new', 'synchronized', 'elif', 'with', 'lambda', 'assert', 'not', 'and', 'or', 'in']);

export async function languageSections(path: string, text: string, added: { first: number; last: number }, sources: ContextSources): Promise<Section[]> {
  const adapter = adapterFor(path)!;
  const sections: Section[] = [];
  await loadParsersFor([path]);
  const enclosing = withParsedFile(adapter, path, text, (file) => adapter.enclosingDeclaration(file, added.first, added.last));
  if (enclosing) sections.push(enclosingSection(text, { start: enclosing.startLine, end: enclosing.endLine, name: enclosing.name }, added.first, added.last));
  sections.push(...calleeSections(path, text, added, sources));
  sections.push(...(await dependentSections(path, added, sources)));
  return sections;
}

function calleeSections(path: string, text: string, added: { first: number; last: number }, sources: ContextSources): Section[] {
  const own = sources.symbolsIn(path);
  const imports = sources.importsIn(path);
  const lines = text.split('\n').slice(added.first - 1, added.last);
  const sections: Section[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    for (const match of line.matchAll(CALL)) {
      if (sections.length >= MAX_CALLEES) return sections;
      const [, receiver, name] = match;
      if (NOT_CALLS.has(name)) continue;
      const label = receiver ? `${receiver}.${name}` : name;
      if (seen.has(label)) continue;
      seen.add(label);
      const found = declarationOf(receiver, name, own, imports, sources);
      if (!found || sources.isExcluded(found.file)) continue;
      // Declared inside the hunk: the model already sees it.
      if (found.file === path && found.startLine >= added.first && found.startLine <= added.last) continue;
      sections.push({ group: CALLEES, render: (l) => `- \`${label}\`: ${found.file}:${found.file === path ? l(found.startLine) : found.startLine}: ${found.signature}`, what: `the declaration of ${label}` });
    }
  }
  return sections;
}

/** The declaration a call names: in the file itself (a function, or a member of one of its types), or in a module it imports. */
function declarationOf(receiver: string | undefined, name: string, own: readonly StoredSymbol[], imports: readonly StoredImport[], sources: ContextSources): StoredSymbol | undefined {
  if (!receiver) {
    const local = own.find((symbol) => symbol.name === name);
    if (local) return local;
  }
  for (const row of imports) {
    if (!row.resolvedPath) continue;
    let wanted: string | undefined;
    if (receiver && row.namespace !== null && (row.namespace === receiver || row.namespace.endsWith(`.${receiver}`))) wanted = name;
    else if (!receiver) wanted = row.bindings.find((binding) => binding.local === name)?.imported;
    else if (row.bindings.some((binding) => binding.local === receiver)) wanted = `${row.bindings.find((binding) => binding.local === receiver)!.imported}.${name}`;
    if (wanted === undefined) continue;
    const symbol = sources.symbolsIn(row.resolvedPath).find((candidate) => candidate.name === wanted && candidate.exported);
    if (symbol) return symbol;
  }
  return undefined;
}

/** The file's public declarations on the hunk's lines, each with the places that use it. */
async function dependentSections(path: string, added: { first: number; last: number }, sources: ContextSources): Promise<Section[]> {
  const touched = sources.symbolsIn(path).filter((symbol) => symbol.exported && !symbol.name.includes('.') && symbol.endLine >= added.first && symbol.startLine <= added.last);
  const sections: Section[] = [];
  for (const symbol of touched) {
    const uses = (await sources.usagesOf(path, symbol.name)).filter((use) => !sources.isExcluded(use.file));
    if (!uses.length) continue;
    const shown = uses.slice(0, MAX_USES_PER_EXPORT);
    const more = uses.length - shown.length;
    const places = `${uses.length} place${uses.length === 1 ? '' : 's'}`;
    sections.push({
      group: DEPENDENTS,
      render: () => [`- \`${symbol.name}\` is used in ${places}:`, ...shown.map((use) => `  - ${use.file}:${use.line}`), ...(more > 0 ? [`  - … and ${more} more`] : [])].join('\n'),
      what: `the ${places} that use ${symbol.name}`,
    });
  }
  return sections;
}

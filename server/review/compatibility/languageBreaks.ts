/**
 * `breaking-change` for the languages tree-sitter parses (Python, Go, Java): the
 * language's adapter reads each changed unit's public API in both versions (a
 * Python module, a Go package — every file of its directory —, a Java class) and
 * says what breaks; the uses left behind come from the index's import graph and
 * the adapter's reading of each dependent. Nothing here knows a language: a new
 * one is an adapter (server/languages/model.ts).
 */
import type { RelatedLocation } from '../../../shared/review';
import { oldLineToNew } from '../../git/lineMapping';
import { adapterFor, loadParsersFor, parseFile } from '../../languages/registry';
import type { Node } from '@vscode/tree-sitter-wasm';
import type { ApiBreak, LanguageAdapter, ParsedFile, UnitApi } from '../../languages/model';
import type { StoredImport } from '../../store/indexStore';
import type { ChangedFile, RuleFinding } from '../rule';
import { columnsOfIdentifier, declarationColumns } from '../columns';

/** More places than this and the list stops helping; the message still says how many. */
const MAX_RELATED = 200;

/** What the index answers for this comparison. */
export interface LanguageIndex {
  /** Import rows (in any file) whose resolved target is `target` (a file, or a directory for a package). */
  importsOf(target: string): StoredImport[];
  /**
   * The import rows that would resolve to `target` if `gone` (a file the change deleted or
   * moved) were still there: its importers no longer resolve, and still break.
   */
  importsAsIfPresent?(gone: string, target: string): StoredImport[];
  /** Every indexed path of the work tree. */
  paths(): ReadonlySet<string>;
  /** A workspace file's text as the review sees it (the work tree), null when unreadable. */
  textOf(path: string): string | null;
}

export interface LanguageComparisonResult {
  findings: RuleFinding[];
  /** Files not compared, with why (one line each, without the path). */
  notCompared: Array<{ file: string; why: string }>;
}

interface UnitChange {
  adapter: LanguageAdapter;
  unit: string;
  files: ChangedFile[];
}

/**
 * Compares every unit `files` touch. `allFiles` is the whole change (the other
 * files of a package may be part of it, cached or not).
 */
export async function compareLanguageUnits(files: readonly ChangedFile[], allFiles: readonly ChangedFile[], index: LanguageIndex): Promise<LanguageComparisonResult> {
  const result: LanguageComparisonResult = { findings: [], notCompared: [] };
  const units = new Map<string, UnitChange>();
  for (const file of files) {
    const adapter = adapterFor(file.diff.oldPath ?? file.path);
    // Only a file that had a version before can have broken something (a new file adds API).
    if (!adapter || file.diff.oldPath === null || file.oldText === null) continue;
    if (file.tooLargeToParse) {
      result.notCompared.push({ file: file.path, why: 'its public API was not compared: it is over the size limit of the rules that parse' });
      continue;
    }
    if (adapter.isGenerated(file.oldText) || (file.newText !== null && adapter.isGenerated(file.newText))) continue;
    const unit = adapter.unitOf(file.diff.oldPath);
    const key = `${adapter.id}\u0000${unit}`;
    let change = units.get(key);
    if (!change) units.set(key, (change = { adapter, unit, files: [] }));
    change.files.push(file);
  }
  if (!units.size) return result;

  const paths = index.paths();
  const changedByPath = new Map<string, ChangedFile>();
  for (const file of allFiles) {
    if (file.diff.newPath) changedByPath.set(file.diff.newPath, file);
    if (file.diff.oldPath && !changedByPath.has(file.diff.oldPath)) changedByPath.set(file.diff.oldPath, file);
  }
  const newPaths = new Set(paths);
  const oldPaths = new Set(paths);
  for (const file of allFiles) {
    if (file.diff.newPath === null) newPaths.delete(file.diff.oldPath ?? file.path);
    else if (file.newText !== null) newPaths.add(file.diff.newPath);
    if (file.diff.newPath !== null && file.diff.oldPath !== file.diff.newPath) oldPaths.delete(file.diff.newPath);
    if (file.diff.oldPath !== null) oldPaths.add(file.diff.oldPath);
  }
  await loadParsersFor([...units.values()].map((change) => change.files[0].diff.oldPath!));

  const parsed: ParsedFile[] = [];
  const parse = (adapter: LanguageAdapter, path: string, text: string): ParsedFile | null => {
    const file = parseFile(adapter, path, text);
    if (file) parsed.push(file);
    return file;
  };
  // A dependent is read for every break it may be hit by: parsed once per review of the change.
  const dependents = new Map<string, ParsedFile | null>();
  const parseDependent = (adapter: LanguageAdapter, path: string, text: string): ParsedFile | null => {
    if (!dependents.has(path)) dependents.set(path, parse(adapter, path, text));
    return dependents.get(path)!;
  };
  try {
    for (const { adapter, unit, files: changed } of units.values()) {
      const version = (side: 'old' | 'new'): ParsedFile[] => {
        const members = adapter.filesOfUnit(unit, side === 'old' ? oldPaths : newPaths);
        const out: ParsedFile[] = [];
        for (const member of members) {
          const file = changedByPath.get(member);
          const text = file ? (side === 'old' ? (file.diff.oldPath === member ? file.oldText : null) : (file.diff.newPath === member ? file.newText : null)) : index.textOf(member);
          if (text === null || adapter.isGenerated(text)) continue;
          const tree = parse(adapter, member, text);
          if (tree) out.push(tree);
        }
        return out;
      };
      let before: UnitApi;
      let after: UnitApi;
      let breaks: ApiBreak[];
      try {
        before = adapter.readApi(version('old'));
        after = adapter.readApi(version('new'));
        breaks = adapter.compare(before, after);
      } catch (error) {
        for (const file of changed) result.notCompared.push({ file: file.path, why: `its public API was not compared: reading it failed (${(error as Error).message})` });
        continue;
      }
      // A declaration a syntax error hides is not gone: only what the new version still shows is judged.
      if (after.hasSyntaxError) breaks = breaks.filter((broken) => broken.at.side === 'new');
      for (const broken of breaks) {
        const related = usesLeftBehind(adapter, unit, changed, broken, index, paths, changedByPath, parseDependent);
        result.findings.push(findingFor(adapter, broken, related, changed, changedByPath));
      }
    }
  } finally {
    for (const file of parsed) file.tree.delete();
  }
  return result;
}

/** The places in the workspace (as the change leaves it) that use what `broken` broke. */
function usesLeftBehind(
  adapter: LanguageAdapter,
  unit: string,
  changed: readonly ChangedFile[],
  broken: ApiBreak,
  index: LanguageIndex,
  paths: ReadonlySet<string>,
  changedByPath: ReadonlyMap<string, ChangedFile>,
  parse: (adapter: LanguageAdapter, path: string, text: string) => ParsedFile | null,
): RelatedLocation[] {
  const unitFiles = new Set(adapter.filesOfUnit(unit, paths));
  // The unit's files as the change leaves them, and those it deleted or moved (their importers still name them).
  const members = new Set([...unitFiles, ...changed.map((file) => file.diff.oldPath!)]);
  const rowsByFile = new Map<string, StoredImport[]>();
  for (const member of members) {
    for (const target of adapter.importTargetsOf(member)) {
      const rows = paths.has(member) ? index.importsOf(target) : [...index.importsOf(target), ...(index.importsAsIfPresent?.(member, target) ?? [])];
      for (const row of rows) {
        if (unitFiles.has(row.file)) continue;
        const rows = rowsByFile.get(row.file) ?? [];
        if (!rows.some((known) => known.id === row.id)) rows.push(row);
        rowsByFile.set(row.file, rows);
      }
    }
    for (const implicit of adapter.implicitDependentsOf?.(member, paths) ?? []) if (!rowsByFile.has(implicit)) rowsByFile.set(implicit, []);
  }
  const related: RelatedLocation[] = [];
  const what = broken.member ? `${broken.name}.${broken.member}` : broken.name;
  for (const [file, rows] of [...rowsByFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (related.length >= MAX_RELATED) break;
    const changed = changedByPath.get(file);
    const text = changed ? (changed.diff.newPath === file ? changed.newText : null) : index.textOf(file);
    if (text === null || !adapterFor(file)) continue;
    const dependent = parse(adapterFor(file)!, file, text);
    if (!dependent) continue;
    const lines = [...new Set(adapter.usesOf(dependent, rows, broken))].sort((a, b) => a - b);
    for (const line of lines) {
      if (related.length >= MAX_RELATED) break;
      related.push({ file, line, ...useColumns(dependent, line, broken.member ?? broken.name), message: `uses \`${what}\`` });
    }
  }
  return related;
}

/** The node kinds that call or construct something, in the languages tree-sitter parses here. */
const CALL_NODES = ['call', 'call_expression', 'method_invocation', 'object_creation_expression'];

/**
 * The columns of a use on its line: the call that names `name`, when one starts
 * on that line, else the name itself; clipped to the line, as a related place
 * has one. Nothing (the whole line) when neither is found there.
 */
function useColumns(dependent: ParsedFile, line: number, name: string): { column?: number; endColumn?: number } {
  const row = line - 1;
  const before = dependent.text.split('\n', line);
  const lineText = (before[row] ?? '').replace(/\r$/, '');
  const lineStart = before.slice(0, row).reduce((total, text) => total + text.length + 1, 0);
  const callee = (node: Node) => node.childForFieldName('function') ?? node.childForFieldName('name') ?? node.childForFieldName('type') ?? node;
  const call = dependent.tree.rootNode
    .descendantsOfType(CALL_NODES, { row, column: 0 }, { row, column: lineText.length })
    .find((node): node is Node => node !== null && node.startPosition.row === row && columnsOfIdentifier(callee(node).text, name) !== undefined);
  if (!call) return columnsOfIdentifier(lineText, name) ?? {};
  const end = Math.min(call.endIndex, lineStart + lineText.length);
  return end > call.startIndex ? { column: call.startIndex - lineStart + 1, endColumn: end - lineStart + 1 } : {};
}

function findingFor(adapter: LanguageAdapter, broken: ApiBreak, related: RelatedLocation[], changed: readonly ChangedFile[], changedByPath: ReadonlyMap<string, ChangedFile>): RuleFinding {
  // Reported on the changed file that holds the declaration, in its new lines: where the old version had it, when it is gone.
  const holder = changedByPath.get(broken.at.file);
  const file = holder && changed.includes(holder) ? holder : changed[0];
  let line: number;
  if (holder === file && broken.at.side === 'new' && file.diff.newPath === broken.at.file) line = broken.at.line;
  else if (holder === file && file.diff.newPath !== null) line = oldLineToNew(file.diff, broken.at.line);
  else if (holder === file) line = broken.at.line;
  else line = file.diff.hunks[0]?.newStart || 1;
  const verb = adapter.id === 'python' ? 'fail when run' : 'no longer compile';
  const verbOne = adapter.id === 'python' ? 'fails when run' : 'no longer compiles';
  const affected = broken.affects === 'implementers' ? 'implementations' : 'callers';
  const consequence = related.length
    ? ` ${related.length} place${related.length === 1 ? '' : 's'} in this workspace ${related.length === 1 ? verbOne : verb}.`
    : ` No use of it in this workspace breaks; ${affected} outside it may.`;
  // Columns only on the declaration as the new version has it: the changed parameter named in the message, else the name.
  const parameter = /parameter `([^`]+)`/.exec(broken.message)?.[1] ?? null;
  const columns = holder === file && broken.at.side === 'new' && file.newText !== null && file.diff.newPath === broken.at.file
    ? declarationColumns(file.newText, line, [parameter, broken.member ?? broken.name])
    : undefined;
  return {
    ruleId: 'breaking-change',
    severity: related.length ? 'error' : 'warning',
    file: file.path,
    line: Math.max(1, line),
    endLine: Math.max(1, line),
    ...columns,
    message: `Breaking change: ${broken.message.replace(/\.$/, '')}.${consequence}`,
    symbol: broken.member ? `${broken.name}.${broken.member}` : broken.name,
    related,
    fingerprint: `${adapter.id}\u0000${broken.fingerprint}`,
  };
}

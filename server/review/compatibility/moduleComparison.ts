/**
 * Compares the old and new versions of the modules a review changed, with the
 * type checker: one program per review holds every old version beside its new
 * one, the probes written against each old version (see probes.ts), and the
 * workspace files that import the changed modules. A probe that compiles
 * against the old version but not the new is a broken use; an importer's
 * diagnostic at a use of an API that broke is a place in the workspace that
 * the change breaks.
 */
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { RelatedLocation } from '../../../shared/review';
import { createCheckerProgram, needsDom, needsNodeTypes, workspaceResolution } from './checkerProgram';
import { attribute, topLevelStatement } from './importerUses';
import { buildProbes, MAX_PROBES, type Probe, type ProbeTarget, type UseKind } from './probes';
import { unchangedStatements } from './unchangedApi';
import { readWorkTreeText } from '../../workTreeText';

export interface ModuleToCompare {
  /** Repository-relative path of the new version. */
  path: string;
  /** Repository-relative path of the old version (differs after a rename). */
  oldPath: string;
  oldText: string;
  newText: string;
}

export interface BrokenUse {
  use: UseKind;
  /** What the use reaches (`parse`, `Config.url`). */
  subject: string;
  /** Only worth saying when no other use of the export broke. */
  fallback: boolean;
  /** The use in the user's terms ("calls `f(a)` (1 argument)"). */
  describe: string;
  /** The compiler's words for why it fails now, with the probe's own names taken out. */
  diagnostic: string;
  code: number;
}

export interface ExportBreak {
  /** The exported name (`default`, `export=`). */
  name: string;
  /** True when the name itself is gone: every use of it breaks. */
  removed: boolean;
  uses: BrokenUse[];
}

export interface ModuleComparison {
  path: string;
  /** Set when the module could not be compared (a syntax error): no break is reported for it. */
  notCompared: string | null;
  /** Why, when `notCompared` is set: it does not parse, it is of a kind not compared yet (ambient declarations), or the compiler failed. */
  notComparedBecause: 'syntax' | 'out-of-scope' | 'failure' | null;
  /** Set when only part of it was: which exports were only checked to exist, and why. */
  partial: string | null;
  breaks: ExportBreak[];
  /** Workspace places that no longer compile, by exported name. */
  brokenUses: Map<string, RelatedLocation[]>;
}

export interface ComparisonInput {
  /** Absolute path of the work tree; undefined to read nothing from disk. */
  root: string | undefined;
  modules: readonly ModuleToCompare[];
  /** What the whole change decides of every comparison (comparisonScope); by default, `modules`' own. */
  scope?: ComparisonScope;
  /** The reviewed text of every changed file (repository-relative), null when deleted: importers see these. */
  reviewed: ReadonlyMap<string, string | null>;
  /** Repository-relative files that import `path`, directly or through re-exports. */
  importersOf: (path: string, oldPath: string) => string[];
}

/** More importers of one module than this and checking them costs more than the list is worth. */
const MAX_CHECKED_IMPORTERS = 80;
const MAX_USES_PER_EXPORT = 200;
/** A conditional type as the compiler prints it: `X extends Y ? A : B`. */
const CONDITIONAL_TYPE = /\bextends\b[^'"]*\?[^'"]*:/;
/** Probes for one review, all modules together: past it, what is left is only checked to exist. */
const MAX_REVIEW_PROBES = 15000;
/**
 * What a module's share of them may be. Few levels, so that the share (part of the
 * cache key of every hunk that touches an export) stays the same while a branch
 * grows: 1–3 compared modules get 5,000 probes each, 4–6 2,500, 7–15 1,000, more 500.
 */
const PROBE_SHARES = [MAX_PROBES, 2500, 1000, 500];
/**
 * The compared modules, their probes and importers, and what those import
 * directly: the types an API is written in are rarely further away, and a module
 * that imports a package's hub would otherwise load the whole package.
 */
const MAX_IMPORT_DEPTH = 1;
const USE_ORDER: UseKind[] = ['import', 'annotate', 'construct', 'call', 'type-arguments', 'return', 'read', 'write', 'implement', 'extend', 'override', 'protected'];

/**
 * What the whole change decides of each module's comparison, whichever modules a
 * review compares: a review whose other files came from the cache compares only a
 * few, and must judge those as a review of the whole change would.
 */
export interface ComparisonScope {
  /** Probes each module may have: the review's budget shared by every module the change compares. */
  probesPerModule: number;
  /** Whether the program holds the DOM's types and Node's: some module of the change names them. */
  dom: boolean;
  nodeTypes: boolean;
  /**
   * Every changed module's versions (repository-relative path of the new one, and
   * the texts): what they import is loaded as a compared module's is, so that a
   * compared module sees the same types whether or not its neighbours are compared.
   */
  changed: readonly ModuleToCompare[];
  /** The module resolution settings (`paths`, `baseUrl`…) of the tsconfig.json nearest to the change's first module. */
  resolution: ts.CompilerOptions;
}

/** The scope of a change that compares `modules` (all of them, cached or not). */
export function comparisonScope(root: string | undefined, modules: readonly ModuleToCompare[]): ComparisonScope {
  const sorted = [...modules].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const allText = sorted.map((m) => m.oldText + m.newText).join('\n');
  const resolution = root !== undefined && sorted.length > 0 ? workspaceResolution(root, path.join(root, sorted[0].path)) : { options: {}, dom: false };
  const fair = Math.floor(MAX_REVIEW_PROBES / Math.max(1, sorted.length));
  return {
    probesPerModule: PROBE_SHARES.find((share) => share <= fair) ?? PROBE_SHARES[PROBE_SHARES.length - 1],
    dom: resolution.dom && needsDom(allText),
    nodeTypes: root !== undefined && needsNodeTypes(allText),
    changed: sorted,
    resolution: resolution.options,
  };
}

/**
 * The part of a scope that can change a module's result without a change to the
 * module or to what it imports: part of the cache key of the hunks that touch an export.
 */
export function scopeKey(scope: ComparisonScope): string {
  // The settings themselves, not the tsconfig's path: a branch that touches one more file keeps its keys.
  return `probes:${scope.probesPerModule},dom:${scope.dom},node:${scope.nodeTypes},resolution:${JSON.stringify(scope.resolution)}`;
}

export function compareModules(input: ComparisonInput): ModuleComparison[] {
  if (!input.modules.length) return [];
  const root = input.root ?? '/__diffwise_workspace__';
  const absolute = (file: string) => path.join(root, file);
  const overlay = new Map<string, string>();
  for (const [file, text] of input.reviewed) if (text !== null) overlay.set(absolute(file), text);
  const copies = input.modules.map((module) => {
    const newFile = absolute(module.path);
    const oldFile = path.join(path.dirname(newFile), `__diffwise_old__${path.basename(module.oldPath)}`);
    overlay.set(newFile, module.newText);
    overlay.set(oldFile, module.oldText);
    return { module, newFile, oldFile };
  });
  const scope = input.scope ?? comparisonScope(input.root, input.modules);
  // The old versions of modules not compared here are not in the program, but what they import counts (see ComparisonScope).
  const depthRoots = new Map<string, string>();
  for (const module of scope.changed) {
    depthRoots.set(absolute(module.path), module.newText);
    depthRoots.set(path.join(path.dirname(absolute(module.path)), `__diffwise_old__${path.basename(module.oldPath)}`), module.oldText);
  }
  const settings = {
    root: input.root,
    dom: scope.dom,
    nodeTypes: scope.nodeTypes,
    resolution: scope.resolution,
    maxImportDepth: MAX_IMPORT_DEPTH,
    depthRoots,
  };
  const first = createCheckerProgram({ ...settings, overlay, rootNames: copies.flatMap((c) => [c.oldFile, c.newFile]) });
  const checker = first.getTypeChecker();

  interface Prepared {
    copy: (typeof copies)[number];
    comparison: ModuleComparison;
    probes: Probe[];
    oldProbeFile: string;
    newProbeFile: string;
    spans: { old: Array<{ start: number; end: number; probe: number }>; new: Array<{ start: number; end: number; probe: number }> };
  }
  const prepared: Prepared[] = [];
  const results: ModuleComparison[] = [];
  for (const copy of copies) {
    const comparison: ModuleComparison = { path: copy.module.path, notCompared: null, notComparedBecause: null, partial: null, breaks: [], brokenUses: new Map() };
    results.push(comparison);
    const oldSource = first.getSourceFile(copy.oldFile);
    const newSource = first.getSourceFile(copy.newFile);
    const syntaxError = syntaxErrorOf(first, newSource, 'the new version') ?? syntaxErrorOf(first, oldSource, 'the old version');
    if (syntaxError || !oldSource || !newSource) {
      comparison.notCompared = syntaxError ?? 'it could not be read';
      comparison.notComparedBecause = syntaxError ? 'syntax' : 'failure';
      continue;
    }
    try {
      const moduleSymbol = checker.getSymbolAtLocation(oldSource);
      if (!moduleSymbol) {
        // A script has no exports to break; a declaration file of globals or ambient modules has, and is not compared yet.
        if (oldSource.isDeclarationFile && oldSource.statements.length) {
          comparison.notCompared = 'it declares globals or ambient modules (`declare module`, `declare global`), which are not compared yet';
          comparison.notComparedBecause = 'out-of-scope';
        }
        continue;
      }
      const exportEquals = moduleSymbol.exports?.get(ts.InternalSymbolName.ExportEquals);
      const changedFiles = new Set(overlay.keys());
      const unchanged = unchangedStatements(oldSource, newSource);
      const asBefore = (symbol: ts.Symbol) => (symbol.declarations ?? []).every((d) => d.getSourceFile() === oldSource && unchanged.has(topLevelStatement(d)));
      const targets: ProbeTarget[] = exportEquals
        ? [{ name: 'export=', symbol: resolve(checker, exportEquals), existenceOnly: false }]
        : checker.getExportsOfModule(moduleSymbol).map((symbol) => {
          const resolved = resolve(checker, symbol);
          const files = (resolved.declarations ?? []).map((d) => d.getSourceFile().fileName);
          // A name passed on from a module this change did not touch is the same declaration on both sides;
          // so is a declaration the change left alone, when nothing it names changed either.
          const elsewhere = files.length > 0 && files.every((f) => !changedFiles.has(f));
          return { name: symbol.name, symbol: resolved, existenceOnly: elsewhere || (files.length > 0 && asBefore(resolved)) };
        });
      // Each module gets its share of the review's budget, so that one large module leaves the others their probes.
      const set = buildProbes(checker, oldSource, targets, exportEquals !== undefined, scope.probesPerModule);
      if (set.skipped.length) {
        comparison.partial = `past its share of the review's ${MAX_REVIEW_PROBES} probes (a large change), ${set.skipped.length} export${set.skipped.length === 1 ? ' was' : 's were'} only checked to still exist (${set.skipped.slice(0, 5).map((name) => `\`${name}\``).join(', ')}${set.skipped.length > 5 ? ', …' : ''})`;
      }
      const directory = path.dirname(copy.newFile);
      // A probe is a plain module, whatever it probes: `index.d.ts.ts` would be taken for a declaration file.
      // `index.d.ts`, `index.d.mts` and `index.d.cts` often stand side by side: each gets its own.
      const stem = path.basename(copy.module.path).replace(/\./g, '_');
      const oldProbeFile = path.join(directory, `__diffwise_probe_old__${stem}.ts`);
      const newProbeFile = path.join(directory, `__diffwise_probe_new__${stem}.ts`);
      const oldRendered = set.render(`./${specifierFor(path.basename(copy.oldFile))}`);
      const newRendered = set.render(`./${specifierFor(path.basename(copy.newFile))}`);
      overlay.set(oldProbeFile, oldRendered.text);
      overlay.set(newProbeFile, newRendered.text);
      prepared.push({ copy, comparison, probes: set.probes, oldProbeFile, newProbeFile, spans: { old: oldRendered.spans, new: newRendered.spans } });
    } catch (error) {
      comparison.notCompared = `the type checker failed on it (${(error as Error).message})`;
      comparison.notComparedBecause = 'failure';
    }
  }
  if (!prepared.length) return results;

  // The compared modules stay roots: the import depth counts from them, not from their probes.
  const probeRoots = prepared.flatMap((p) => [p.copy.oldFile, p.copy.newFile, p.oldProbeFile, p.newProbeFile]);
  const probeProgram = createCheckerProgram({ ...settings, overlay, rootNames: probeRoots, oldProgram: first });
  const probeChecker = probeProgram.getTypeChecker();

  for (const item of prepared) {
    let failingOld: Map<number, ts.Diagnostic>;
    let failingNew: Map<number, ts.Diagnostic>;
    try {
      failingOld = failingProbes(probeProgram, item.oldProbeFile, item.spans.old);
      failingNew = failingProbes(probeProgram, item.newProbeFile, item.spans.new);
    } catch (error) {
      // A checker that fails on one module (a recursion without end in some declaration files) costs that module only.
      item.comparison.notCompared = `the type checker failed on it (${(error as Error).message})`;
      item.comparison.notComparedBecause = 'failure';
      continue;
    }
    const byExport = new Map<string, ExportBreak>();
    for (const probe of item.probes) {
      const diagnostic = failingNew.get(probe.id);
      // TS2719, "two different types with this name exist": the old and new declarations met, not a use that broke.
      if (!diagnostic || failingOld.has(probe.id) || diagnostic.code === 2719) continue;
      // Conditional types over unresolved type parameters are equal to the compiler only when built alike:
      // a refactored helper fails such a probe though every concrete use still compiles. Undecided, so not said.
      if (probe.generic && CONDITIONAL_TYPE.test(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))) continue;
      if (probe.requires.some((id) => failingNew.has(id))) continue;
      const entry = byExport.get(probe.exportName) ?? { name: probe.exportName, removed: false, uses: [] };
      byExport.set(probe.exportName, entry);
      // Whatever the compiler says of an import that compiled before (no such member, not a module), the name is gone.
      if (probe.use === 'import') entry.removed = true;
      entry.uses.push({ use: probe.use, subject: probe.subject, fallback: probe.fallback, describe: probe.describe, diagnostic: cleanMessage(diagnostic), code: diagnostic.code });
    }
    for (const change of enumValueChanges(probeChecker, probeProgram.getSourceFile(item.copy.oldFile), probeProgram.getSourceFile(item.copy.newFile))) {
      const entry = byExport.get(change.exportName) ?? { name: change.exportName, removed: false, uses: [] };
      byExport.set(change.exportName, entry);
      entry.uses.push({ use: 'read', subject: change.exportName, fallback: false, describe: change.describe, diagnostic: '', code: 0 });
    }
    for (const entry of byExport.values()) {
      // Reading a function as its old type fails whenever a call does: it is said only when nothing else is.
      const specific = entry.uses.filter((use) => !use.fallback);
      if (specific.length) entry.uses = specific;
      entry.uses.sort((a, b) => USE_ORDER.indexOf(a.use) - USE_ORDER.indexOf(b.use));
    }
    item.comparison.breaks = [...byExport.values()];
  }

  // Only what broke sends the checker to the importers, and only to those that name it;
  // each module has its own allowance of them, so that another's importers leave its own alone.
  const importers = new Map<string, Prepared[]>();
  for (const item of prepared) {
    let checked = 0;
    if (!item.comparison.breaks.length) continue;
    const names = item.comparison.breaks.map((b) => b.name);
    // A default or `export =` can be imported under any name; the others are named where they are used
    // (`\b` would not do: `$ZodType` starts with a character that is not a word's).
    const named = names.some((name) => name === 'default' || name === 'export=') ? null : new RegExp(`(?<![\\w$])(${names.map((name) => name.replace(/\$/g, '\\$')).join('|')})(?![\\w$])`);
    for (const importer of input.importersOf(item.copy.module.path, item.copy.module.oldPath)) {
      if (checked >= MAX_CHECKED_IMPORTERS) break;
      const text = input.reviewed.has(importer) ? input.reviewed.get(importer) : readWorkTreeText(root, importer);
      if (text === null || text === undefined || (named && !named.test(text))) continue;
      checked++;
      importers.set(importer, [...(importers.get(importer) ?? []), item]);
    }
  }
  if (!importers.size) return results;
  const program = createCheckerProgram({ ...settings, overlay, rootNames: [...probeRoots, ...[...importers.keys()].map(absolute)], oldProgram: probeProgram });
  const useChecker = program.getTypeChecker();
  for (const [importer, items] of importers) {
    const source = program.getSourceFile(absolute(importer));
    if (!source) continue;
    const diagnostics = program.getSemanticDiagnostics(source);
    for (const item of items) {
      const newSource = program.getSourceFile(item.copy.newFile);
      if (!newSource) continue;
      const broken = new Map(item.comparison.breaks.map((b) => [b.name, b]));
      for (const diagnostic of diagnostics) {
        if (diagnostic.start === undefined) continue;
        for (const name of attribute(useChecker, source, diagnostic, newSource, broken)) {
          const list = item.comparison.brokenUses.get(name) ?? [];
          if (list.length >= MAX_USES_PER_EXPORT) continue;
          const line = source.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
          if (list.some((use) => use.file === importer && use.line === line)) continue;
          list.push({ file: importer, line, ...brokenCallColumns(source, diagnostic), message: `no longer compiles: ${cleanMessage(diagnostic)}` });
          item.comparison.brokenUses.set(name, list);
        }
      }
    }
  }
  return results;
}

/**
 * The columns of the code a diagnostic is about: the call (or `new`) it is in,
 * when that call is on the diagnostic's line, else the diagnostic's own span;
 * both clipped to that line, as a related place has one line.
 */
function brokenCallColumns(source: ts.SourceFile, diagnostic: ts.Diagnostic): { column?: number; endColumn?: number } {
  const start = diagnostic.start!;
  const lineStart = source.getLineStarts()[source.getLineAndCharacterOfPosition(start).line];
  const lineEnd = source.text.indexOf('\n', start) < 0 ? source.text.length : source.text.indexOf('\n', start);
  let node: ts.Node | undefined = innermostAt(source, start);
  while (node && !ts.isCallExpression(node) && !ts.isNewExpression(node) && !ts.isSourceFile(node)) node = node.parent;
  const call = node && !ts.isSourceFile(node) && node.getStart(source) >= lineStart ? node : undefined;
  const from = call ? call.getStart(source) : start;
  const to = Math.min(call ? call.getEnd() : start + (diagnostic.length ?? 0), source.text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd);
  return to > from ? { column: from - lineStart + 1, endColumn: to - lineStart + 1 } : {};
}

/** The innermost node whose text holds `position`. */
function innermostAt(source: ts.SourceFile, position: number): ts.Node {
  let found: ts.Node = source;
  const visit = (node: ts.Node): void => {
    if (node.getStart(source) <= position && position < node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(source, visit);
  return found;
}

function resolve(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** `./x.ts` as an import can name it: a declaration file by its JavaScript name. */
function specifierFor(file: string): string {
  const declaration = /\.d\.([cm]?)ts$/.exec(file);
  if (declaration) return `${file.slice(0, -declaration[0].length)}.${declaration[1]}js`;
  return file;
}

function syntaxErrorOf(program: ts.Program, source: ts.SourceFile | undefined, which: string): string | null {
  if (!source) return null;
  const [error] = program.getSyntacticDiagnostics(source);
  if (!error) return null;
  const line = error.start === undefined ? '' : ` at line ${source.getLineAndCharacterOfPosition(error.start).line + 1}`;
  return `${which} does not parse${line}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n').split('\n')[0]}`;
}

/** The first diagnostic of each probe that does not compile. */
function failingProbes(program: ts.Program, file: string, spans: ReadonlyArray<{ start: number; end: number; probe: number }>): Map<number, ts.Diagnostic> {
  const source = program.getSourceFile(file);
  const failing = new Map<number, ts.Diagnostic>();
  if (!source) return failing;
  for (const diagnostic of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
    if (diagnostic.start === undefined || diagnostic.category !== ts.DiagnosticCategory.Error) continue;
    const span = spans.find((s) => diagnostic.start! >= s.start && diagnostic.start! < s.end);
    if (span && !failing.has(span.probe)) failing.set(span.probe, diagnostic);
  }
  return failing;
}

/** The compiler's message with the probe's own scaffolding taken out of it. */
function cleanMessage(diagnostic: ts.Diagnostic): string {
  const lines = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split('\n').map((line) => line.trim()).filter(Boolean);
  // The deepest line of a chain says what exactly does not fit; the first says where.
  const text = lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1]}` : lines[0] ?? '';
  const cleaned = text
    .replace(/typeof import\("[^"]*"\)/g, 'the module')
    .replace(/import\("[^"]*"\)\./g, '')
    .replace(/\b__dw\./g, '')
    .replace(/__diffwise_(old|new|probe_old|probe_new)__/g, '')
    .replace(/'__[A-Za-z]+\d*'/g, 'the value');
  return cleaned.length > 240 ? `${cleaned.slice(0, 237)}...` : cleaned;
}

interface EnumValueChange {
  exportName: string;
  describe: string;
}

/** Enum members whose constant value changed (or that became implicit with another value). */
function enumValueChanges(checker: ts.TypeChecker, oldSource: ts.SourceFile | undefined, newSource: ts.SourceFile | undefined): EnumValueChange[] {
  if (!oldSource || !newSource) return [];
  const oldModule = checker.getSymbolAtLocation(oldSource);
  const newModule = checker.getSymbolAtLocation(newSource);
  if (!oldModule || !newModule) return [];
  const newExports = new Map(checker.getExportsOfModule(newModule).map((symbol) => [symbol.name, resolve(checker, symbol)]));
  const changes: EnumValueChange[] = [];
  for (const exported of checker.getExportsOfModule(oldModule)) {
    const oldEnum = resolve(checker, exported);
    const newEnum = newExports.get(exported.name);
    if (!(oldEnum.flags & ts.SymbolFlags.Enum) || !newEnum || !(newEnum.flags & ts.SymbolFlags.Enum)) continue;
    const newMembers = new Map(checker.getExportsOfModule(newEnum).map((member) => [member.name, member]));
    for (const member of checker.getExportsOfModule(oldEnum)) {
      const counterpart = newMembers.get(member.name);
      if (!counterpart || !member.valueDeclaration || !counterpart.valueDeclaration) continue;
      const before = checker.getConstantValue(member.valueDeclaration as ts.EnumMember);
      const after = checker.getConstantValue(counterpart.valueDeclaration as ts.EnumMember);
      if (before !== after) {
        changes.push({ exportName: exported.name, describe: `\`${exported.name}.${member.name}\` changed value from ${JSON.stringify(before ?? null)} to ${JSON.stringify(after ?? null)}: code that stored or compares the old value no longer matches` });
      }
    }
  }
  return changes;
}

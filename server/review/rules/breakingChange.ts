/**
 * `breaking-change`: a change to a module is breaking when some code written
 * against the old version that type-checks stops type-checking against the new
 * one. The type checker judges it (compatibility/moduleComparison.ts), with
 * probes of every way callers and implementers use the old API, and lists the
 * workspace places that no longer compile. A module the change deletes breaks
 * every importer: those come from the index.
 */
import type { RelatedLocation } from '../../../shared/review';
import { oldLineToNew } from '../../git/lineMapping';
import { scriptKindOf } from '../../index/languages';
import { adapterFor } from '../../languages/registry';
import { compareLanguageUnits } from '../compatibility/languageBreaks';
import { readModuleShape, type ApiEntry, type ModuleShape } from '../apiSurface';
import { apiSurelyUnchanged } from '../compatibility/apiReach';
import { compareModules, comparisonScope, scopeKey, type BrokenUse, type ComparisonScope, type ExportBreak, type ModuleToCompare } from '../compatibility/moduleComparison';
import { publicEntryOf, type PublicEntry } from '../compatibility/publicEntries';
import { withSpan } from '../../observability/trace';
import type { ChangedFile, RuleFinding, StaticRule } from '../rule';
import { syntaxErrorOf, syntaxTreeOf } from '../syntaxTrees';
import { declarationColumns } from '../columns';

export const breakingChangeRule: StaticRule = {
  id: 'breaking-change',
  description: 'An exported declaration was removed, renamed, made private, or changed so that code written against the old version no longer type-checks (callers or implementers); for Python, Go and Java, a public one changed so that old callers or implementers no longer compile (fail when run, for Python).',
  typeChecked: true,
  changeKey: (allFiles, root) => scopeKey(scopeOf(allFiles, root)),
  async run({ files, allFiles, workspace, notice, skip }) {
    const findings: RuleFinding[] = [];
    // Python, Go and Java: their adapters read and compare the API (compatibility/languageBreaks.ts).
    const languageFiles = files.filter((file) => adapterFor(file.diff.oldPath ?? file.path));
    if (languageFiles.length && workspace.index) {
      const compared = await compareLanguageUnits(languageFiles, allFiles ?? files, workspace.index);
      findings.push(...compared.findings);
      for (const { file, why } of compared.notCompared) skip?.(file, why.includes('size limit') ? 'too-large' : 'not-judged', why);
    }
    const compared: Array<{ file: ChangedFile; module: ModuleToCompare }> = [];
    for (const file of files) {
      if (file.tooLargeToParse) {
        if (file.diff.oldPath !== null && scriptKindOf(file.diff.oldPath) !== undefined) skip?.(file.path, 'too-large', 'its exported API was not compared: it is over the size limit of the rules that parse');
        continue;
      }
      if (file.oldText === null || file.diff.oldPath === null || scriptKindOf(file.diff.oldPath) === undefined) continue;
      if (file.diff.oldPath.includes('node_modules/')) continue;
      if (file.newText !== null && file.diff.newPath !== null && scriptKindOf(file.diff.newPath) !== undefined) {
        const module = moduleToCompare(file);
        // A change that reaches no export (an edit inside an annotated function, a private helper no export
        // names) cannot break one: the checker, the most expensive part of a review, is spared it.
        const [oldTree, newTree] = [syntaxTreeOf(file, 'old'), syntaxTreeOf(file, 'new')];
        const parses = oldTree && newTree && !syntaxErrorOf(oldTree) && !syntaxErrorOf(newTree);
        if (module && !(parses && apiSurelyUnchanged(oldTree, newTree))) compared.push({ file, module });
        continue;
      }
      if (file.newText === null && file.diff.newPath !== null && file.diff.status !== 'deleted') {
        // Still there, but unreadable (binary now, or over the size limit): its declarations may all still be there.
        skip?.(file.path, 'unreadable', 'its exported API was not compared: the new version could not be read');
        continue;
      }
      // Deleted (or no longer a script): every export is gone, and every importer breaks.
      const before = readModuleShape(file.diff.oldPath, file.oldText, syntaxTreeOf(file, 'old'));
      for (const entry of before.exports.values()) {
        const related = entry.name.startsWith('*:') ? [] : await workspace.usagesOf(file.path, entry.name, file.diff.oldPath);
        findings.push(finding(file, entry, null, `${describe(entry)} was removed`, related, null, `${entry.name}\u0000removed`));
      }
    }
    if (!compared.length) return findings;

    const reviewed = new Map((allFiles ?? files).map((file) => [file.path, file.newText]));
    let comparisons;
    try {
      // The type checker's comparison is its own span: the most expensive part of a review, inside the rule's.
      comparisons = await withSpan('compatibility', async () => compareModules({
        root: workspace.root,
        modules: compared.map((c) => c.module),
        // Judged as in a review of the whole change, though the cache spared most of it.
        scope: scopeOf(allFiles ?? files, workspace.root),
        reviewed,
        importersOf: (path, oldPath) => workspace.importersOf?.(path, oldPath) ?? [],
      }), { 'diffwise.compatibility.modules': compared.length });
    } catch (error) {
      // The compiler failing on some input costs the comparison, not the other findings of the review.
      for (const { file } of compared) skip?.(file.path, 'not-judged', `its exported API was not compared: the type checker failed (${(error as Error).message})`);
      return findings;
    }
    comparisons.forEach((comparison, i) => {
      const { file } = compared[i];
      if (comparison.notCompared) {
        if (comparison.notComparedBecause === 'out-of-scope') notice?.(`${file.path}: its exported API was not compared: ${comparison.notCompared}`);
        else skip?.(file.path, comparison.notComparedBecause === 'syntax' ? 'does-not-parse' : 'not-judged', `its exported API was not compared: ${comparison.notCompared}`);
        return;
      }
      if (comparison.partial) notice?.(`${file.path}: only part of its exported API was compared: ${comparison.partial}`);
      if (!comparison.breaks.length) return;
      const before = readModuleShape(file.diff.oldPath!, file.oldText!, syntaxTreeOf(file, 'old'));
      const after = readModuleShape(file.diff.newPath!, file.newText!, syntaxTreeOf(file, 'new'));
      const entry = publicEntryOf(workspace.root, file.path);
      for (const broken of comparison.breaks) {
        const oldEntry = before.exports.get(broken.name) ?? passedOn(broken.name);
        const newEntry = broken.removed ? null : (after.exports.get(broken.name) ?? null);
        const related = comparison.brokenUses.get(broken.name) ?? [];
        const reason = broken.removed ? removalReason(oldEntry, before, after) : `${describe(oldEntry)}: ${useReason(broken)}`;
        const first = broken.uses[0];
        findings.push(finding(file, oldEntry, newEntry, reason, related, entry, `${broken.name}\u0000${broken.removed ? 'removed' : `${first.use}:${first.describe}`}`));
      }
    });
    return findings;
  },
};

/** The old and new versions the type checker compares, for a file that is a script on both sides and changed. */
function moduleToCompare(file: ChangedFile): ModuleToCompare | null {
  const { oldPath, newPath } = file.diff;
  if (file.tooLargeToParse || file.oldText === null || file.newText === null || oldPath === null || newPath === null) return null;
  if (oldPath.includes('node_modules/') || scriptKindOf(oldPath) === undefined || scriptKindOf(newPath) === undefined) return null;
  return file.newText === file.oldText ? null : { path: newPath, oldPath, oldText: file.oldText, newText: file.newText };
}

/** Every module of the change that the rule compares, whether this review compares it or the cache had it. */
function comparedModules(files: readonly ChangedFile[]): ModuleToCompare[] {
  return files.flatMap((file) => moduleToCompare(file) ?? []);
}

/** The change's scope, once per review: the cache's key asks for it before the rule runs, with the same files. */
const scopes = new WeakMap<readonly ChangedFile[], { root: string | undefined; scope: ComparisonScope }>();
function scopeOf(allFiles: readonly ChangedFile[], root: string | undefined): ComparisonScope {
  const known = scopes.get(allFiles);
  if (known && known.root === root) return known.scope;
  const scope = comparisonScope(root, comparedModules(allFiles));
  scopes.set(allFiles, { root, scope });
  return scope;
}

/** A name the old module passed on from elsewhere (`export *`), with no entry of its own. */
function passedOn(name: string): ApiEntry {
  return {
    name, kind: 'value', localName: name, line: 1, endLine: 1, signatures: [], members: new Map(), constructors: [],
    typeText: null, initializerText: null, literalType: null, declarationText: '', fromModule: null,
  };
}

/** What breaks, in the user's terms, with the compiler's reason. */
function useReason(broken: ExportBreak): string {
  const [first, ...others] = dedupe(broken.uses);
  const more = others.slice(0, 2).map((use) => use.describe);
  const extra = others.length > 2 ? `, and ${others.length - 2} more` : '';
  return `${sentence(first)}${more.length ? `; also ${more.join('; ')}${extra}` : ''}`;
}

function sentence(use: BrokenUse): string {
  if (!use.diagnostic) return use.describe;
  const missing = /Property '([^']+)' is missing in type/.exec(use.diagnostic) ?? /missing the following properties from type '[^']*': ([^.]+)/.exec(use.diagnostic);
  if (use.use === 'implement' && missing) return `${use.describe} must now provide \`${missing[1].split(', ').join('`, `')}\``;
  if (use.use === 'write' && use.code === 2540) return `${use.describe} no longer compile: it is now readonly`;
  if ((use.code === 2339 || use.code === 2551) && use.use !== 'import') return `\`${use.subject}\` was removed: ${use.describe} no longer compile`;
  return `${use.describe} no longer compile (${use.diagnostic})`;
}

/** One use per kind and description: a read and a call of the same member say the same thing twice. */
function dedupe(uses: readonly BrokenUse[]): BrokenUse[] {
  const seen = new Set<string>();
  return uses.filter((use) => {
    const key = `${use.use}\u0000${use.describe}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function removalReason(oldEntry: ApiEntry, before: ModuleShape, after: ModuleShape): string {
  const label = describe(oldEntry);
  if (oldEntry.name === 'export=') return `${label} was removed`;
  if (oldEntry.declarationText === '') return `${label} is no longer exported (it was passed on with \`export *\`)`;
  if (oldEntry.kind === 'reexport' && oldEntry.name.startsWith('*:')) return `\`export * from '${oldEntry.fromModule}'\` was removed: everything it passed on is no longer exported`;
  if (after.locals.has(oldEntry.localName)) return `${label} is no longer exported`;
  const added = [...after.exports.values()].filter((entry) => !before.exports.has(entry.name));
  const twin = added.find((entry) => entry.kind === oldEntry.kind && shapeKey(entry) === shapeKey(oldEntry));
  if (twin) return `${label} was renamed to \`${twin.name}\`; importers of \`${oldEntry.name}\` break`;
  return `${label} was removed`;
}

/** What a declaration looks like with its own name taken out: equal keys mean a rename. */
function shapeKey(entry: ApiEntry): string {
  const escaped = entry.localName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return entry.declarationText.replace(new RegExp(`\\b${escaped}\\b`, 'g'), '#');
}

/**
 * The first parameter the new version changed, when a function with one
 * signature kept its declaration: the one to point at. Null when parameters
 * were only removed (the name is pointed at then) or the change is elsewhere.
 */
function changedParameter(before: ApiEntry, after: ApiEntry): string | null {
  if (before.signatures.length !== 1 || after.signatures.length !== 1) return null;
  const [oldParams, newParams] = [before.signatures[0].parameters, after.signatures[0].parameters];
  for (let i = 0; i < newParams.length; i++) {
    const [was, now] = [oldParams[i], newParams[i]];
    if (!was || was.name !== now.name || was.type !== now.type || was.optional !== now.optional || was.rest !== now.rest) return now.name;
  }
  return null;
}

function describe(entry: ApiEntry): string {
  if (entry.name === 'export=') return 'the module\'s `export =`';
  if (entry.name === 'default') return `the default export${entry.localName !== 'default' ? ` \`${entry.localName}\`` : ''}`;
  const kind = entry.kind === 'reexport' ? 're-export' : entry.kind === 'value' ? 'export' : entry.kind;
  return `exported ${kind} \`${entry.name}\``;
}

function finding(file: ChangedFile, before: ApiEntry, after: ApiEntry | null, reason: string, related: RelatedLocation[], entry: PublicEntry | null, fingerprint: string): RuleFinding {
  let line: number;
  if (after && file.diff.newPath) line = after.line;
  else if (file.diff.newPath) line = oldLineToNew(file.diff, before.line);
  // The whole file was deleted: point at the declaration in the version that had it.
  else line = before.line;
  const consequence = related.length
    ? ` ${related.length} place${related.length === 1 ? '' : 's'} in this workspace no longer compile${related.length === 1 ? 's' : ''}.`
    : entry
      ? ` \`${file.path}\` is a public entry of ${entry.packageName} (package.json \`${entry.field}\`): code outside this workspace depends on it.`
      : ' No use of it in this workspace breaks; code outside it may still depend on it.';
  // Columns only where the declaration still is: a removed one's line is whatever code took its place.
  const columns = after && file.diff.newPath && file.newText !== null
    ? declarationColumns(file.newText, line, [changedParameter(before, after), after.localName, after.name === 'default' ? 'default' : after.name])
    : undefined;
  return {
    ruleId: 'breaking-change',
    // Uses left behind fail to build now; a package's entry has users we cannot see.
    severity: related.length || entry ? 'error' : 'warning',
    file: file.path,
    line,
    endLine: line,
    ...columns,
    message: `Breaking change: ${reason}.${consequence}`,
    symbol: before.name.startsWith('*:') || before.name === 'export=' ? null : before.name,
    related,
    fingerprint,
  };
}

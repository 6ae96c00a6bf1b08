/**
 * `breaking-change`: an exported declaration removed, no longer exported,
 * renamed, or changed so that existing callers break. Compares the module's API
 * before and after the change and lists, from the index, every workspace place
 * that uses what broke: the call sites a change would leave behind.
 */
import type { RelatedLocation } from '../../../shared/review';
import { oldLineToNew } from '../../git/lineMapping';
import { scriptKindOf } from '../../index/languages';
import { membersBreak, overloadsBreak, returnTypeCompatible } from '../apiCompatibility';
import { readModuleShape, type ApiEntry, type ModuleShape } from '../apiSurface';
import { inferTypes } from '../inferredTypes';
import type { ChangedFile, RuleFinding, StaticRule, WorkspaceQueries } from '../rule';

interface Break {
  name: string;
  /** The entry in the new version, when it still exists there. */
  after: ApiEntry | null;
  before: ApiEntry;
  reason: string;
}

export const breakingChangeRule: StaticRule = {
  id: 'breaking-change',
  description: 'An exported declaration was removed, renamed, made private, or changed so that existing callers no longer compile.',
  async run({ files, workspace }) {
    const findings: RuleFinding[] = [];
    for (const file of files) {
      if (file.oldText === null || file.diff.oldPath === null || scriptKindOf(file.diff.oldPath) === undefined) continue;
      if (file.diff.oldPath.endsWith('.d.ts') && file.diff.oldPath.includes('node_modules/')) continue;
      const before = readModuleShape(file.diff.oldPath, file.oldText);
      if (before.exports.size === 0) continue;
      const afterPath = file.diff.newPath;
      const after: ModuleShape = file.newText !== null && afterPath !== null && scriptKindOf(afterPath) !== undefined
        ? readModuleShape(afterPath, file.newText)
        : { exports: new Map(), locals: new Set() };
      for (const broken of compareModules(file, before, after)) {
        findings.push(await toFinding(file, broken, workspace));
      }
    }
    return findings;
  },
};

function compareModules(file: ChangedFile, before: ModuleShape, after: ModuleShape): Break[] {
  const breaks: Break[] = [];
  const added = [...after.exports.values()].filter((entry) => !before.exports.has(entry.name));
  const needsInference: Array<{ name: string; kind: 'function' | 'variable' }> = [];

  for (const [name, oldEntry] of before.exports) {
    const newEntry = after.exports.get(name);
    if (!newEntry) {
      breaks.push({ name, before: oldEntry, after: null, reason: removalReason(oldEntry, after, added) });
      continue;
    }
    if (oldEntry.declarationText === newEntry.declarationText) continue;
    const reason = entryBreak(oldEntry, newEntry);
    if (reason) breaks.push({ name, before: oldEntry, after: newEntry, reason });
    else if (oldEntry.kind === 'function' && newEntry.kind === 'function' && oldEntry.signatures.some((s) => !s.returnType)) {
      needsInference.push({ name, kind: 'function' });
    } else if (oldEntry.kind === 'variable' && newEntry.kind === 'variable' && !oldEntry.typeText && !newEntry.typeText && oldEntry.initializerText !== newEntry.initializerText) {
      if (oldEntry.literalType && newEntry.literalType) {
        // `= 'a'` → `= 'b'` keeps the type; `= 1` → `= 'one'` changes it. No checker needed for either.
        if (oldEntry.literalType !== newEntry.literalType) {
          breaks.push({ name, before: oldEntry, after: newEntry, reason: `${describe(oldEntry)} changed type from \`${oldEntry.literalType}\` to \`${newEntry.literalType}\`` });
        }
      } else {
        needsInference.push({ name, kind: 'variable' });
      }
    }
  }
  if (needsInference.length && file.newText !== null && file.diff.newPath) {
    breaks.push(...inferredBreaks(file, before, after, needsInference));
  }
  return breaks;
}

function removalReason(oldEntry: ApiEntry, after: ModuleShape, added: ApiEntry[]): string {
  const label = describe(oldEntry);
  if (oldEntry.kind === 'reexport' && oldEntry.name.startsWith('*:')) return `\`export * from '${oldEntry.fromModule}'\` was removed: everything it passed on is no longer exported`;
  if (after.locals.has(oldEntry.localName)) return `${label} is no longer exported`;
  const twin = added.find((entry) => entry.kind === oldEntry.kind && shapeKey(entry) === shapeKey(oldEntry));
  if (twin) return `${label} was renamed to \`${twin.name}\`; importers of \`${oldEntry.name}\` break`;
  return `${label} was removed`;
}

/** What a declaration looks like with its own name taken out: equal keys mean a rename. */
function shapeKey(entry: ApiEntry): string {
  const escaped = entry.localName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return entry.declarationText.replace(new RegExp(`\\b${escaped}\\b`, 'g'), '#');
}

function entryBreak(oldEntry: ApiEntry, newEntry: ApiEntry): string | null {
  if (oldEntry.kind !== newEntry.kind && !(oldEntry.kind === 'value' || newEntry.kind === 'value')) {
    return `${describe(oldEntry)} changed from a ${oldEntry.kind} to a ${newEntry.kind}`;
  }
  switch (oldEntry.kind) {
    case 'function':
      return prefixed(oldEntry, overloadsBreak(oldEntry.signatures, newEntry.signatures));
    case 'class':
      return prefixed(oldEntry, overloadsBreak(oldEntry.constructors, newEntry.constructors.length ? newEntry.constructors : [{ parameters: [], returnType: null }]) ?? membersBreak(oldEntry, oldEntry.members, newEntry.members));
    case 'interface':
      return prefixed(oldEntry, membersBreak(oldEntry, oldEntry.members, newEntry.members));
    case 'type':
      if (oldEntry.members.size || newEntry.members.size) return prefixed(oldEntry, membersBreak(oldEntry, oldEntry.members, newEntry.members));
      return null; // a type alias's text changing is often a widening; judging it needs the checker
    case 'enum':
      for (const key of oldEntry.members.keys()) if (!newEntry.members.has(key)) return `${describe(oldEntry)}: member \`${key}\` was removed`;
      return null;
    case 'variable':
      if (oldEntry.typeText && newEntry.typeText && oldEntry.typeText !== newEntry.typeText) {
        return `${describe(oldEntry)} changed type from \`${oldEntry.typeText}\` to \`${newEntry.typeText}\``;
      }
      return null;
    case 'reexport':
      if (oldEntry.fromModule !== newEntry.fromModule || oldEntry.localName !== newEntry.localName) {
        return `${describe(oldEntry)} is now re-exported from \`${newEntry.fromModule}\` (\`${newEntry.localName}\`) instead of \`${oldEntry.fromModule}\` (\`${oldEntry.localName}\`)`;
      }
      return null;
    default:
      return null;
  }
}

/** Breaks that only the type checker can see: an inferred return or variable type that changed. */
function inferredBreaks(file: ChangedFile, before: ModuleShape, after: ModuleShape, names: Array<{ name: string; kind: 'function' | 'variable' }>): Break[] {
  const functions = names.filter((n) => n.kind === 'function').map((n) => n.name);
  const variables = names.filter((n) => n.kind === 'variable').map((n) => n.name);
  const oldTypes = inferTypes(file.diff.oldPath!, file.oldText!, functions, variables);
  const newTypes = inferTypes(file.diff.newPath!, file.newText!, functions, variables);
  const breaks: Break[] = [];
  const unknown = (type: string | undefined) => type === undefined || /\bany\b/.test(type);
  for (const name of functions) {
    const oldReturn = oldTypes.returnTypes.get(name)?.[0];
    const newReturn = newTypes.returnTypes.get(name)?.[0];
    if (unknown(oldReturn) || unknown(newReturn)) continue;
    if (!returnTypeCompatible(oldReturn!.replace(/\s+/g, ''), newReturn!.replace(/\s+/g, ''))) {
      breaks.push({ name, before: before.exports.get(name)!, after: after.exports.get(name)!, reason: `${describe(before.exports.get(name)!)}: its inferred return type changed from \`${oldReturn}\` to \`${newReturn}\`` });
    }
  }
  for (const name of variables) {
    const oldType = oldTypes.variableTypes.get(name);
    const newType = newTypes.variableTypes.get(name);
    if (unknown(oldType) || unknown(newType) || oldType === newType) continue;
    breaks.push({ name, before: before.exports.get(name)!, after: after.exports.get(name)!, reason: `${describe(before.exports.get(name)!)} changed type from \`${oldType}\` to \`${newType}\`` });
  }
  return breaks;
}

function prefixed(entry: ApiEntry, reason: string | null): string | null {
  return reason ? `${describe(entry)}: ${reason}` : null;
}

function describe(entry: ApiEntry): string {
  if (entry.name === 'default') return `the default export${entry.localName !== 'default' ? ` \`${entry.localName}\`` : ''}`;
  const kind = entry.kind === 'reexport' ? 're-export' : entry.kind === 'value' ? 'export' : entry.kind;
  return `exported ${kind} \`${entry.name}\``;
}

async function toFinding(file: ChangedFile, broken: Break, workspace: WorkspaceQueries): Promise<RuleFinding> {
  const lookupPath = file.diff.newPath ?? file.diff.oldPath!;
  const related: RelatedLocation[] = broken.name.startsWith('*:') ? [] : await workspace.usagesOf(lookupPath, broken.name, file.diff.oldPath ?? undefined);
  let line: number;
  let endLine: number;
  if (broken.after && file.diff.newPath) {
    line = broken.after.line;
    endLine = broken.after.line;
  } else if (file.diff.newPath) {
    line = endLine = oldLineToNew(file.diff, broken.before.line);
  } else {
    // The whole file was deleted: point at the declaration in the version that had it.
    line = endLine = broken.before.line;
  }
  const uses = related.length === 0 ? ' No use of it in this workspace was found; code outside it may still depend on it.'
    : ` ${related.length} place${related.length === 1 ? '' : 's'} in this workspace use${related.length === 1 ? 's' : ''} it.`;
  return {
    ruleId: 'breaking-change',
    // Call sites left behind in this workspace will fail to build now; without them, only outside consumers might.
    severity: related.length ? 'error' : 'warning',
    file: file.path,
    line,
    endLine,
    message: `Breaking change: ${broken.reason}.${uses}`,
    symbol: broken.name.startsWith('*:') ? null : broken.name,
    related,
    fingerprint: `${broken.name}\u0000${broken.reason}`,
  };
}

/**
 * Builds the rule inputs by hand, so rule tests need neither git nor the index:
 * a ChangedFile whose diff is one hunk over the whole new text, with the chosen
 * lines added and the others unchanged context.
 */
import type { DiffFile, DiffLine } from '../../server/git/diffModel';
import type { ChangedFile, RuleContext, RuleFinding, StaticRule } from '../../server/review/rule';

/**
 * A changed file at `path` whose reviewed text is `newText`. `added` lists the
 * 1-based lines the change adds; `'all'` (the default) makes it a new file.
 */
export function changedFile(path: string, newText: string, added: number[] | 'all' = 'all'): ChangedFile {
  const textLines = newText.split('\n');
  if (newText.endsWith('\n')) textLines.pop();
  const addedSet = new Set(added === 'all' ? textLines.map((_, i) => i + 1) : added);
  const isNew = added === 'all';

  const lines: DiffLine[] = [];
  const oldLines: string[] = [];
  textLines.forEach((text, i) => {
    const newLine = i + 1;
    if (addedSet.has(newLine)) {
      lines.push({ kind: 'add', text, oldLine: null, newLine });
    } else {
      oldLines.push(text);
      lines.push({ kind: 'context', text, oldLine: oldLines.length, newLine });
    }
  });

  const diff: DiffFile = {
    oldPath: isNew ? null : path,
    newPath: path,
    status: isNew ? 'added' : 'modified',
    oldMode: isNew ? null : '100644',
    newMode: '100644',
    binary: false,
    submodule: false,
    similarity: null,
    hunks: [{ oldStart: 1, oldLines: oldLines.length, newStart: 1, newLines: textLines.length, header: '', lines }],
  };
  return {
    diff,
    path,
    newText,
    oldText: isNew ? null : oldLines.join('\n') + (oldLines.length > 0 ? '\n' : ''),
    added: addedSet,
  };
}

/** A rule context over `files` whose workspace knows no usages. */
export function ruleContext(files: ChangedFile[]): RuleContext {
  return { files, workspace: { usagesOf: async () => [] } };
}

/** Runs `rule` over `files`. */
export function runRule(rule: StaticRule, ...files: ChangedFile[]): Promise<RuleFinding[]> {
  return rule.run(ruleContext(files));
}

/** A modified file whose one hunk replaces every old line with every new one. */
export function modifiedFile(path: string, oldText: string, newText: string | null, newPath: string | null = path): ChangedFile {
  const oldLines = oldText.split('\n');
  const newLines = newText?.split('\n') ?? [];
  const lines: DiffLine[] = [
    ...oldLines.map((text, i): DiffLine => ({ kind: 'del', text, oldLine: i + 1, newLine: null })),
    ...newLines.map((text, i): DiffLine => ({ kind: 'add', text, oldLine: null, newLine: i + 1 })),
  ];
  return {
    diff: {
      oldPath: path, newPath, status: newText === null ? 'deleted' : 'modified', oldMode: '100644', newMode: newText === null ? null : '100644',
      binary: false, submodule: false, similarity: null,
      hunks: [{ oldStart: 1, oldLines: oldLines.length, newStart: newLines.length ? 1 : 0, newLines: newLines.length, header: '', lines }],
    },
    path: newPath ?? path,
    newText,
    oldText,
    added: new Set(newLines.map((_, i) => i + 1)),
  };
}

/**
 * The Review Branch picker: the repository's branches as ./branchItems.ts orders
 * them, and any ref typed into the box (a tag, a SHA) accepted as it is.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { branchEntries, parseBranchRefs, type BranchChoices, type BranchRef } from './branchItems';

/** workspaceState's key for the base last reviewed against. */
export const LAST_BASE_KEY = 'diffwise.lastBase';

type BranchItem = vscode.QuickPickItem & { ref?: string };

/** What the picker would offer now, from git: the branches and the checked-out one. */
export async function branchChoices(folder: string, configured: string, lastUsed: string | undefined, log: vscode.LogOutputChannel): Promise<BranchChoices> {
  const git = (args: string[]) => promisify(execFile)('git', args, { cwd: folder }).then(({ stdout }) => stdout);
  let refs: BranchRef[] = [];
  let current: string | undefined;
  try {
    refs = parseBranchRefs(await git(['for-each-ref', '--format=%(refname)%09%(symref)', 'refs/heads', 'refs/remotes']));
  } catch (error) {
    log.warn(`could not list branches: ${(error as Error).message}`);
  }
  try {
    // `symbolic-ref` fails on a detached HEAD, which then has no branch to leave out.
    current = (await git(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim() || undefined;
  } catch {
    current = undefined;
  }
  return { refs, current, configured, lastUsed };
}

/** The QuickPickItems for a set of choices (exported for the e2e suite). */
export function branchItems(choices: BranchChoices): BranchItem[] {
  return branchEntries(choices).map((entry) => (entry.separator
    ? { label: entry.label, kind: vscode.QuickPickItemKind.Separator }
    : { label: entry.label, description: entry.description, ref: entry.ref }));
}

/** Shows the picker; resolves to the chosen or typed ref, or undefined when dismissed. */
export function pickBranch(choices: BranchChoices): Promise<string | undefined> {
  const picker = vscode.window.createQuickPick<BranchItem>();
  picker.title = 'Diffwise: Review Branch';
  picker.placeholder = choices.current
    ? `Review ${choices.current} since it left which branch? (or type any ref)`
    : 'Review HEAD since it left which branch? (or type any ref)';
  picker.matchOnDescription = true;
  picker.items = branchItems(choices);
  return new Promise((resolve) => {
    let chosen: string | undefined;
    picker.onDidAccept(() => {
      // Nothing matches what was typed: the text itself is the ref (git says later if it is none).
      chosen = picker.selectedItems[0]?.ref ?? (picker.value.trim() || undefined);
      picker.hide();
    });
    picker.onDidHide(() => {
      picker.dispose();
      resolve(chosen);
    });
    picker.show();
  });
}

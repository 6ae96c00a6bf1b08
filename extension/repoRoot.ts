/**
 * The repository root of the workspace: findings carry paths relative to it,
 * which need not be the workspace folder (a folder inside a repository).
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';

let cached: { folder: string; root: string } | undefined;

/** The top level of the first workspace folder's repository; the folder itself when git cannot say. */
export async function repositoryRoot(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) return undefined;
  if (cached?.folder === folder) return cached.root;
  let root = folder;
  try {
    root = path.resolve((await promisify(execFile)('git', ['rev-parse', '--show-toplevel'], { cwd: folder })).stdout.trim());
  } catch {
    // Not a repository, or no git: the daemon would have said so already; the folder is the best guess.
  }
  cached = { folder, root };
  return root;
}

/** A file URI for a repository-relative path with forward slashes. */
export async function repositoryFileUri(file: string): Promise<vscode.Uri | undefined> {
  const root = await repositoryRoot();
  return root ? vscode.Uri.file(path.join(root, ...file.split('/'))) : undefined;
}

/**
 * Export Learned Votes / Import Learned Votes: the team file
 * (`.diffwise/learned.json` by default) through `diffwise/learnedTransfer`, the
 * same as `diffwise learned --export|--import` in a terminal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LearnedTransferRequest } from '../shared/protocol';
import { repositoryRoot } from './repoRoot';

const DEFAULT_FILE = path.join('.diffwise', 'learned.json');

type Deps = { client: () => LanguageClient | undefined };

function requireClient(deps: Deps): LanguageClient {
  const client = deps.client();
  if (!client) throw new Error('Diffwise: the daemon is not running.');
  return client;
}

/** Writes every vote to the team file (or `file`); returns what the daemon did. */
export async function exportLearned(deps: Deps, file?: unknown): Promise<{ file: string; votes: number } | undefined> {
  const client = requireClient(deps);
  const result = await client.sendRequest(LearnedTransferRequest.type, { direction: 'export', ...(typeof file === 'string' && file ? { file } : {}) });
  void vscode.window
    .showInformationMessage(`Diffwise: exported ${result.votes} vote(s) to ${result.file}. Commit it, and your team can run Diffwise: Import Learned Votes.`, 'Open File')
    .then((choice) => choice && vscode.window.showTextDocument(vscode.Uri.file(result.file)));
  return result;
}

/**
 * Reads a team file into this repository's votes: `file` when given, else
 * `.diffwise/learned.json` when the repository has one, else the file picked in a dialog.
 */
export async function importLearned(deps: Deps, file?: unknown): Promise<{ file: string; votes: number } | undefined> {
  const client = requireClient(deps);
  let chosen = typeof file === 'string' && file ? file : undefined;
  if (!chosen) {
    const root = await repositoryRoot();
    if (!root || !fs.existsSync(path.join(root, DEFAULT_FILE))) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Diffwise: Import Learned Votes',
        openLabel: 'Import',
        canSelectMany: false,
        filters: { 'Diffwise learned votes': ['json'] },
        ...(root ? { defaultUri: vscode.Uri.file(root) } : {}),
      });
      if (!picked?.[0]) return undefined;
      chosen = picked[0].fsPath;
    }
  }
  const result = await client.sendRequest(LearnedTransferRequest.type, { direction: 'import', ...(chosen ? { file: chosen } : {}) });
  void vscode.window.showInformationMessage(`Diffwise: imported ${result.votes} vote(s) from ${result.file}. The next review applies what they teach.`);
  return result;
}

/**
 * Diffwise: Unignore a Finding…: the findings of the last review the user chose to
 * ignore, in a quick pick; the one picked is brought back through the daemon's
 * `diffwise.unignoreFinding` (the LSP command the language client registers), the
 * same command the feedback panel's Unignore runs.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LastReviewRequest, UNIGNORE_FINDING_COMMAND } from '../shared/protocol';
import type { Finding } from '../shared/review';

type FindingItem = vscode.QuickPickItem & { finding: Finding };

/**
 * Unignores the finding whose id is given (keybindings, tests), or the one picked.
 * Returns the id brought back, or undefined when there was none or the user dismissed the pick.
 */
export async function unignoreFinding(client: LanguageClient | undefined, given?: unknown): Promise<string | undefined> {
  if (!client) {
    void vscode.window.showErrorMessage('Diffwise: the daemon is not running.');
    return undefined;
  }
  let findingId = typeof given === 'string' && given ? given : undefined;
  if (!findingId) {
    const last = await client.sendRequest(LastReviewRequest.type, {});
    const ignored = (last?.findings ?? []).filter((finding) => finding.ignored);
    if (ignored.length === 0) {
      void vscode.window.showInformationMessage(last
        ? 'Diffwise: the last review has no ignored findings. "Ignore this finding" is a quick fix on a Diffwise problem.'
        : 'Diffwise: there has been no review yet. Run Diffwise: Review Working Tree, then ignored findings are listed here.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick<FindingItem>(ignored.map(findingItem), {
      title: 'Diffwise: Unignore a Finding',
      placeHolder: 'Report this finding again from the next review on',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    findingId = picked?.finding.id;
  }
  if (!findingId) return undefined;
  try {
    await vscode.commands.executeCommand(UNIGNORE_FINDING_COMMAND, findingId);
  } catch (error) {
    void vscode.window.showErrorMessage(`Diffwise: could not unignore the finding: ${(error as Error).message}`);
    return undefined;
  }
  return findingId;
}

const SEVERITY_ICON: Record<Finding['severity'], string> = { error: '$(error)', warning: '$(warning)', info: '$(info)' };

function findingItem(finding: Finding): FindingItem {
  return {
    label: `${SEVERITY_ICON[finding.severity]} ${finding.message.split('\n')[0]}`,
    description: finding.ruleId,
    detail: `${finding.file}:${finding.line}`,
    finding,
  };
}

/**
 * Diffwise: Publish Findings to Pull Request. A dry run first, so the user sees
 * what would be posted (new comments, edits, findings outside the diff) and
 * confirms; then the daemon posts one review. Both steps show progress.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PrPublishResult } from '../shared/github';
import { PrPublishRequest } from '../shared/protocol';

export async function publishFindings(client: LanguageClient | undefined, log: vscode.LogOutputChannel): Promise<PrPublishResult | undefined> {
  if (!client) {
    void vscode.window.showErrorMessage('Diffwise: the daemon is not running.');
    return undefined;
  }
  const ask = (dryRun: boolean, title: string) => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (_progress, token) => client.sendRequest(PrPublishRequest.type, { dryRun }, token),
  );
  try {
    const plan = await ask(true, 'Diffwise: reviewing the pull request\'s changes');
    const { pull } = plan;
    if (!plan.posted && !plan.updated && !plan.outsideDiff) {
      void vscode.window.showInformationMessage(`Diffwise: nothing new to publish to #${pull.number} (${plan.skipped} finding(s) already there${plan.suppressed ? `, ${plan.suppressed} voted down` : ''}).`);
      return plan;
    }
    const summary = [`${plan.posted} new line comment(s)`, `${plan.updated} edited`, `${plan.outsideDiff} in the review's body (outside the diff)`]
      .concat(plan.skipped ? [`${plan.skipped} already there`] : [], plan.suppressed ? [`${plan.suppressed} voted down, left out`] : []).join(', ');
    const choice = await vscode.window.showInformationMessage(`Publish Diffwise's findings to #${pull.number} "${pull.title}"?`, { modal: true, detail: summary }, 'Publish');
    if (choice !== 'Publish') return undefined;
    const result = await ask(false, `Diffwise: publishing to #${pull.number}`);
    log.info(`published to #${pull.number}: ${result.posted} new, ${result.updated} edited, ${result.skipped} skipped, ${result.outsideDiff} outside the diff`);
    const open = result.reviewUrl ? await vscode.window.showInformationMessage(`Diffwise: published to #${pull.number}.`, 'Open on GitHub') : undefined;
    if (open && result.reviewUrl) await vscode.env.openExternal(vscode.Uri.parse(result.reviewUrl));
    return result;
  } catch (error) {
    const message = (error as Error).message;
    if (!/cancel/i.test(message)) void vscode.window.showErrorMessage(`Diffwise: ${message}`);
    return undefined;
  }
}

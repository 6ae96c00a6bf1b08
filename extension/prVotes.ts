/**
 * Helpful / Not helpful on a pull-request comment from its comment widget: on a comment Diffwise
 * published, a vote on that finding; on a teammate's, an example of what the
 * team wants reviewed (see the daemon's diffwise/prVote). With
 * `diffwise.github.reactOnVote`, GitHub gets the same thumbs as a reaction.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { FeedbackRecord } from '../shared/feedback';
import type { PrComment } from '../shared/github';
import { PrVoteRequest } from '../shared/protocol';
import { askReason } from './voting';

/** What the comment menus hand a command: a comment item carrying its PR comment. */
function commentOf(argument: unknown): PrComment | undefined {
  const data = (argument as { data?: PrComment } | undefined)?.data;
  return typeof data?.id === 'number' ? data : undefined;
}

export async function votePrComment(client: LanguageClient | undefined, argument: unknown, vote: 'up' | 'down'): Promise<FeedbackRecord | undefined> {
  const comment = commentOf(argument);
  if (!comment) return undefined;
  if (!client) {
    void vscode.window.showErrorMessage('Diffwise: the daemon is not running.');
    return undefined;
  }
  let reason: string | undefined;
  if (vote === 'down') {
    reason = await askReason();
    if (reason === undefined) return undefined;
  }
  const react = vscode.workspace.getConfiguration('diffwise.github').get<boolean>('reactOnVote', false);
  try {
    const record = await client.sendRequest(PrVoteRequest.type, { commentId: comment.id, vote, reason: reason || undefined, react });
    void vscode.window.showInformationMessage(`Diffwise: @${comment.author}'s comment marked ${vote === 'up' ? 'helpful' : 'not helpful'}${react ? ' (and reacted on GitHub)' : ''}.`);
    return record;
  } catch (error) {
    void vscode.window.showErrorMessage(`Diffwise: ${(error as Error).message}`);
    return undefined;
  }
}

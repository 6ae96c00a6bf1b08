/**
 * Votes from the editor. The daemon offers Helpful / Not helpful quick fixes and hover links
 * that run `diffwise.voteFinding` (registered by the language client as a proxy
 * of the daemon's command); the middleware here asks why before a Not helpful is sent.
 * Every vote cast in this window, from the editor or the feedback panel, goes
 * through `Votes`, so that Undo Vote can withdraw the last one.
 */
import * as vscode from 'vscode';
import type { LanguageClient, Middleware } from 'vscode-languageclient/node';
import type { FeedbackRecord } from '../shared/feedback';
import { FeedbackRequest, VOTE_FINDING_COMMAND, type VoteParams } from '../shared/protocol';
import type { Vote } from '../shared/review';

const REASON_PROMPT = 'Why is this not helpful? (optional, Enter to skip)';

/** The reason for a Not helpful vote, asked in an InputBox; undefined when the user pressed Escape (no vote then). */
export async function askReason(): Promise<string | undefined> {
  const reason = await vscode.window.showInputBox({
    title: 'Diffwise: Not Helpful',
    prompt: REASON_PROMPT,
    placeHolder: 'e.g. intended here, false positive, wrong line…',
  });
  return reason?.trim();
}

export class Votes {
  /** The last vote cast in this window (not a `clear`): what Undo Vote withdraws. */
  private last: { findingId: string; vote: Vote } | undefined;

  constructor(private readonly client: () => LanguageClient | undefined, private readonly log: vscode.LogOutputChannel) {}

  /** Records a vote through `diffwise/feedback` (the feedback panel's way). */
  async cast(params: VoteParams): Promise<FeedbackRecord> {
    const client = this.client();
    if (!client) throw new Error('the Diffwise daemon is not running');
    const record = await client.sendRequest(FeedbackRequest.type, params);
    this.remember(params);
    return record;
  }

  /**
   * The language client's middleware for `diffwise.voteFinding` run from a quick fix
   * or a hover link: a Not helpful vote without a reason asks for one first, and Escape cancels the
   * vote. Every other command goes through untouched.
   */
  readonly middleware: Pick<Middleware, 'executeCommand'> = {
    executeCommand: async (command, args, next) => {
      if (command !== VOTE_FINDING_COMMAND) return next(command, args);
      const [findingId, vote, given] = args as [unknown, unknown, unknown];
      let reason = typeof given === 'string' ? given : undefined;
      if (vote === 'down' && !reason) {
        reason = await askReason();
        if (reason === undefined) {
          this.log.info(`vote on ${String(findingId)} cancelled`);
          return undefined;
        }
      }
      const result: unknown = await next(command, reason ? [findingId, vote, reason] : [findingId, vote]);
      if (typeof findingId === 'string' && (vote === 'up' || vote === 'down' || vote === 'clear')) this.remember({ findingId, vote });
      return result;
    },
  };

  /** Withdraws the last vote cast in this window. Returns whether there was one. */
  async undo(): Promise<boolean> {
    const last = this.last;
    if (!last) {
      void vscode.window.showInformationMessage('Diffwise: there is no vote of this window to undo.');
      return false;
    }
    const record = await this.cast({ findingId: last.findingId, vote: 'clear' });
    this.last = undefined;
    void vscode.window.showInformationMessage(`Diffwise: your ${last.vote === 'up' ? 'Helpful' : 'Not helpful'} vote on the ${record.ruleId} finding in ${record.file}:${record.line} was withdrawn.`);
    return true;
  }

  private remember(params: VoteParams): void {
    if (params.vote === 'clear') {
      if (this.last?.findingId === params.findingId) this.last = undefined;
    } else {
      this.last = { findingId: params.findingId, vote: params.vote };
    }
  }
}

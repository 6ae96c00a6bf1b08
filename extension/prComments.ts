/**
 * The pull request's review comments as VS Code comment threads (the Comments API):
 * one thread per GitHub review thread, on the working-tree lines the daemon mapped it
 * to, with Reply, Resolve/Unresolve and Apply Suggestion. An outdated thread (its lines
 * are gone from the working tree) is never put on a line it was not made on: it sits on
 * line 1, labelled "Outdated", collapsed, and its suggestion is refused.
 *
 * Everything is read from the daemon (`diffwise/prComments`, no network); threads are
 * updated in place, so an open reply box survives a refresh.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PrComment, PrCommentsDocument } from '../shared/github';
import { PrCommentsRequest, PrReplyRequest, PrResolveRequest } from '../shared/protocol';
import { groupThreads, suggestionOf, type PrThreadModel } from './prThreads';
import { repositoryFileUri } from './repoRoot';

export const PR_COMMENT_CONTROLLER_ID = 'diffwise-pr';

/** One thread as the extension's API reports it (`DiffwiseApi.prThreads()`). */
export interface PrThreadInfo {
  uri: vscode.Uri;
  /** 1-based last line of the thread in the working tree; null when outdated. */
  line: number | null;
  resolved: boolean;
  outdated: boolean;
  /** The comments' markdown, oldest first. */
  bodies: string[];
  /** The VS Code thread itself, as the Reply/Resolve commands take it. */
  thread: vscode.CommentThread;
}

/** A comment as VS Code shows it, with the PR comment it came from. */
class PrCommentItem implements vscode.Comment {
  readonly mode = vscode.CommentMode.Preview;
  readonly body: vscode.MarkdownString;
  readonly author: vscode.CommentAuthorInformation;
  readonly timestamp: Date;
  readonly label: string | undefined;
  /** `suggestion` puts Apply Suggestion on it (package.json's comments/comment/title). */
  readonly contextValue: string;

  constructor(readonly data: PrComment) {
    // Not trusted: a review comment is anyone's text, and must not run commands.
    this.body = new vscode.MarkdownString(data.body);
    this.author = { name: data.author };
    this.timestamp = new Date(data.createdAt);
    this.label = data.updatedAt !== data.createdAt ? 'edited' : undefined;
    this.contextValue = suggestionOf(data.body) === undefined ? 'prComment' : 'prComment.suggestion';
  }
}

interface Entry {
  thread: vscode.CommentThread;
  model: PrThreadModel;
  uri: vscode.Uri;
}

export class PrComments implements vscode.Disposable {
  private readonly controller = vscode.comments.createCommentController(PR_COMMENT_CONTROLLER_ID, 'Diffwise: Pull Request');
  /** By the id of the thread's first comment. */
  private readonly entries = new Map<number, Entry>();
  private document: PrCommentsDocument | undefined;
  /** Replies and (un)resolutions made here that the daemon's store may not show yet; dropped at the next sync. */
  private readonly sent = { replies: new Map<number, PrComment>(), resolved: new Map<string, boolean>() };
  private refreshing: Promise<void> | undefined;
  private again = false;

  constructor(private readonly client: () => LanguageClient | undefined, private readonly log: vscode.LogOutputChannel) {
    this.controller.options = { prompt: 'Reply on GitHub…', placeHolder: 'Reply to this pull-request thread (Markdown)' };
  }

  /** The pull request the threads belong to, once read. */
  get pull(): PrCommentsDocument['pull'] {
    return this.document?.pull ?? null;
  }

  /** Every thread shown now. */
  list(): PrThreadInfo[] {
    return [...this.entries.values()].map(({ thread, model, uri }) => ({
      uri,
      line: model.lines?.end ?? null,
      resolved: this.isResolved(model),
      outdated: model.lines === null,
      bodies: model.comments.map((comment) => comment.body),
      thread,
    }));
  }

  /** After a sync: what was sent from here is in the daemon's store now, or superseded. */
  synced(): void {
    this.sent.replies.clear();
    this.sent.resolved.clear();
  }

  /**
   * Reads the comments from the daemon and redraws the threads. Calls made while one
   * runs share it, and it reads once more after, so each caller sees what was stored
   * after it called.
   */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.again = false;
          await this.load();
        } while (this.again);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** The Reply command (comments/commentThread/context): posts the reply box's text to GitHub. */
  async reply(reply: vscode.CommentReply): Promise<PrComment | undefined> {
    const entry = this.entryOf(reply?.thread);
    const body = reply?.text?.trim();
    if (!entry || !body) return undefined;
    const comment = await this.needClient().sendRequest(PrReplyRequest.type, { commentId: entry.model.root.id, body });
    this.log.info(`replied to PR comment ${entry.model.root.id} (${entry.model.path}) as comment ${comment.id}`);
    this.sent.replies.set(comment.id, comment);
    await this.refresh();
    return comment;
  }

  /** Resolve / Unresolve Thread (comments/commentThread/title). Returns the thread's new state. */
  async setResolved(thread: vscode.CommentThread, resolved: boolean): Promise<boolean | undefined> {
    const entry = this.entryOf(thread);
    if (!entry) return undefined;
    if (!entry.model.threadId) throw new Error('Diffwise: this thread cannot be resolved from here yet: sync the pull request first.');
    const answer = await this.needClient().sendRequest(PrResolveRequest.type, { threadId: entry.model.threadId, resolved });
    this.log.info(`${answer.resolved ? 'resolved' : 'unresolved'} PR thread ${answer.threadId}`);
    this.sent.resolved.set(answer.threadId, answer.resolved);
    await this.refresh();
    return answer.resolved;
  }

  /**
   * Apply Suggestion (comments/comment/title): replaces the commented lines with the
   * suggestion block, as one undoable edit. Refused for an outdated thread, or a file
   * with unsaved changes (the daemon placed the thread on the saved text).
   */
  async applySuggestion(item: unknown): Promise<boolean> {
    const comment = item instanceof PrCommentItem ? item.data : undefined;
    const replacement = comment && suggestionOf(comment.body);
    if (!comment || replacement === undefined) throw new Error('Diffwise: this comment has no suggestion to apply.');
    await this.refresh(); // the placement as of now: the file may have changed since the last read
    const entry = [...this.entries.values()].find(({ model }) => model.comments.some((candidate) => candidate.id === comment.id));
    if (!entry) throw new Error('Diffwise: this comment is no longer in the pull request.');
    const lines = entry.model.lines;
    if (!lines) {
      void vscode.window.showWarningMessage(`Diffwise: this suggestion is outdated: the lines it was made on are no longer in ${entry.model.path}. Apply it by hand.`);
      return false;
    }
    const document = await vscode.workspace.openTextDocument(entry.uri);
    if (document.isDirty) {
      void vscode.window.showWarningMessage(`Diffwise: save ${entry.model.path} first: the suggestion's lines are placed on the saved file.`);
      return false;
    }
    if (lines.end > document.lineCount) {
      void vscode.window.showWarningMessage(`Diffwise: ${entry.model.path} has no line ${lines.end} any more: sync the pull request again.`);
      return false;
    }
    const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const edit = new vscode.WorkspaceEdit();
    const last = document.lineAt(lines.end - 1);
    if (replacement.length === 0) {
      // Delete the lines themselves, line breaks included.
      const end = lines.end < document.lineCount ? new vscode.Position(lines.end, 0) : last.range.end;
      edit.delete(entry.uri, new vscode.Range(new vscode.Position(lines.start - 1, 0), end));
    } else {
      edit.replace(entry.uri, new vscode.Range(new vscode.Position(lines.start - 1, 0), last.range.end), replacement.join(eol));
    }
    const applied = await vscode.workspace.applyEdit(edit);
    if (applied) {
      this.log.info(`applied the suggestion of PR comment ${comment.id} to ${entry.model.path}:${lines.start}-${lines.end}`);
      await vscode.window.showTextDocument(document, { selection: new vscode.Range(lines.start - 1, 0, lines.start - 1, 0), preview: false });
    }
    return applied;
  }

  dispose(): void {
    for (const { thread } of this.entries.values()) thread.dispose();
    this.entries.clear();
    this.controller.dispose();
  }

  private needClient(): LanguageClient {
    const client = this.client();
    if (!client) throw new Error('Diffwise: the daemon is not running.');
    return client;
  }

  private entryOf(thread: vscode.CommentThread | undefined): Entry | undefined {
    return thread ? [...this.entries.values()].find((entry) => entry.thread === thread) : undefined;
  }

  private isResolved(model: PrThreadModel): boolean {
    return (model.threadId !== null ? this.sent.resolved.get(model.threadId) : undefined) ?? model.resolved;
  }

  private async load(): Promise<void> {
    const client = this.client();
    if (!client) return;
    try {
      this.document = await client.sendRequest(PrCommentsRequest.type, {});
    } catch (error) {
      // Not synced yet on this branch, say: the threads of the branch before must not stay on its files.
      this.log.info(`no pull-request comments to show: ${(error as Error).message}`);
      this.document = { pull: null, syncedAt: null, comments: [], reviews: [] };
    }
    await this.render(this.document);
  }

  private async render(document: PrCommentsDocument): Promise<void> {
    const known = new Set(document.comments.map((comment) => comment.id));
    for (const id of known) this.sent.replies.delete(id);
    const models = groupThreads([...document.comments, ...this.sent.replies.values()]);
    const label = document.pull ? `PR #${document.pull.number}` : 'Pull request';
    const kept = new Set<number>();
    for (const model of models) {
      const uri = await repositoryFileUri(model.path);
      if (!uri) continue;
      kept.add(model.root.id);
      const range = model.lines ? new vscode.Range(model.lines.start - 1, 0, model.lines.end - 1, 0) : new vscode.Range(0, 0, 0, 0);
      let entry = this.entries.get(model.root.id);
      if (entry && entry.uri.toString() !== uri.toString()) {
        entry.thread.dispose();
        entry = undefined;
      }
      const comments = model.comments.map((comment) => new PrCommentItem(comment));
      if (!entry) {
        const thread = this.controller.createCommentThread(uri, range, comments);
        thread.collapsibleState = vscode.CommentThreadCollapsibleState.Collapsed;
        entry = { thread, model, uri };
        this.entries.set(model.root.id, entry);
      } else {
        entry.model = model;
        entry.thread.range = range;
        entry.thread.comments = comments;
      }
      const resolved = this.isResolved(model);
      const thread = entry.thread;
      thread.canReply = true;
      thread.state = resolved ? vscode.CommentThreadState.Resolved : vscode.CommentThreadState.Unresolved;
      thread.label = model.lines
        ? `${label}${resolved ? ' · resolved' : ''}`
        : `${label} · Outdated: its lines are no longer in the working tree`;
      // prThread.unresolved / prThread.resolved choose Resolve or Unresolve (package.json); no thread id, neither.
      thread.contextValue = model.threadId ? `prThread.${resolved ? 'resolved' : 'unresolved'}${model.lines ? '' : '.outdated'}` : 'prThread';
    }
    for (const [id, entry] of this.entries) {
      if (kept.has(id)) continue;
      entry.thread.dispose();
      this.entries.delete(id);
    }
  }
}

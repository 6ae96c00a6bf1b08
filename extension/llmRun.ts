/**
 * What the editor says about the LLM part of a finished review: the budget used
 * up (with an offer to review with the LLM anyway), the budget nearly used up
 * (once per window), a failed LLM stage (the static findings stand), an
 * untrusted workspace (once per window), and one line for the status bar.
 * The messages never wait for an answer: the review's result is returned at once.
 */
import * as vscode from 'vscode';
import type { ReviewParams } from '../shared/protocol';
import type { ReviewRun, RunError } from '../shared/review';

/** US dollars, with enough decimals that a single cheap call does not read as $0.00. */
export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  return value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

/** Whether a run error comes from the LLM stage (the static stages' errors are reported as before). */
export function isLlmError(error: RunError): boolean {
  return /^llm\b/i.test(error.stage);
}

/** One line about the LLM part of `run` for the status bar's tooltip; undefined when no LLM was configured. */
export function llmStatusLine(run: ReviewRun): string | undefined {
  const llm = run.llm;
  if (!llm) return undefined;
  const month = llm.budget ? ` · ${formatUsd(llm.budget.spentUsd)} of ${formatUsd(llm.budget.monthlyUsd)} this month` : '';
  switch (llm.skipped) {
    case 'untrusted':
      return 'LLM: not used, this workspace is not trusted';
    case 'disabled':
      return 'LLM: off (diffwise.llm.enabled)';
    case 'budget':
      return `LLM: not used, this month's budget is used up${month}`;
  }
  const parts = [`${llm.hunksSent} hunk(s) asked`];
  if (llm.hunksCached) parts.push(`${llm.hunksCached} from the cache`);
  if (llm.hunksFailed) parts.push(`${llm.hunksFailed} failed`);
  if (llm.hunksOverBudget) parts.push(`${llm.hunksOverBudget} over budget`);
  return `LLM (${llm.model}): ${parts.join(', ')} · ${formatUsd(run.costUsd)}${month}`;
}

const BUDGET_SETTING = 'diffwise.llm.monthlyBudgetUsd';

export class LlmNotices {
  // Once per window session: a warning repeated after every review would be noise.
  private nearlySpentShown = false;
  private spentShown = false;
  private untrustedShown = false;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    /** Runs a review again, with its progress and these notices. */
    private readonly rerun: (params: ReviewParams) => Promise<unknown>,
    /** Whether an LLM API key is stored (the daemon of an untrusted workspace never sees it). */
    private readonly keyStored: () => Promise<boolean>,
  ) {}

  /** Tells the user what they need to know about the LLM part of a review made with `params`. */
  afterReview(run: ReviewRun, params: ReviewParams): void {
    const llmErrors = run.errors.filter(isLlmError);
    if (llmErrors.length) this.llmFailed(run, llmErrors);
    void this.untrusted(run);
    const llm = run.llm;
    if (!llm) return;
    const budget = llm.budget;
    if (llm.hunksOverBudget > 0 || llm.skipped === 'budget') {
      const spent = budget ? ` (${formatUsd(budget.spentUsd)} of ${formatUsd(budget.monthlyUsd)})` : '';
      void vscode.window
        .showWarningMessage(
          `Diffwise: this month's LLM budget${spent} is used up: ${llm.hunksOverBudget} hunk(s) were reviewed without the LLM.`,
          'Review with LLM Anyway',
          'Open Settings',
        )
        .then((choice) => {
          if (choice === 'Review with LLM Anyway') {
            this.log.info('reviewing again past the monthly LLM budget, as asked');
            return this.rerun({ ...params, overBudget: true });
          }
          if (choice === 'Open Settings') return vscode.commands.executeCommand('workbench.action.openSettings', BUDGET_SETTING);
          return undefined;
        });
    } else if (budget?.exhausted && !this.spentShown) {
      // This run's own calls used the rest: every hunk was reviewed, the next review's will not be.
      this.spentShown = true;
      this.offerSettings(`Diffwise: this month's LLM budget (${formatUsd(budget.spentUsd)} of ${formatUsd(budget.monthlyUsd)}) is now used up; the next reviews run without the LLM.`);
    } else if (budget?.warning && !budget.exhausted && !this.nearlySpentShown) {
      this.nearlySpentShown = true;
      const percent = budget.monthlyUsd > 0 ? Math.floor((budget.spentUsd / budget.monthlyUsd) * 100) : 100;
      this.offerSettings(`Diffwise: ${formatUsd(budget.spentUsd)} spent, ${percent}% of this month's LLM budget of ${formatUsd(budget.monthlyUsd)}.`);
    }
  }

  /**
   * The daemon reports `skipped: 'untrusted'` only when it still finds an LLM configured
   * (an endpoint); a key it was not given leaves no trace in the run, so ask the secret storage.
   */
  private async untrusted(run: ReviewRun): Promise<void> {
    if (this.untrustedShown || vscode.workspace.isTrusted) return;
    if (run.llm?.skipped !== 'untrusted' && !(run.llm === null && (await this.keyStored()))) return;
    if (this.untrustedShown) return; // another review's check got here first
    this.untrustedShown = true;
    const choice = await vscode.window.showInformationMessage(
      'Diffwise: this workspace is not trusted, so no code was sent to the LLM; the static checks ran.',
      'Manage Workspace Trust',
    );
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  }

  private llmFailed(run: ReviewRun, errors: RunError[]): void {
    const failed = run.llm?.hunksFailed ?? 0;
    const what = failed > 0 ? `the LLM could not review ${failed} hunk(s)` : 'the LLM review failed';
    const why = errors.map((error) => error.message.replace(/\.$/, '')).join('; ');
    void vscode.window
      .showWarningMessage(`Diffwise: ${what}: ${why}. The static findings are shown.`, 'Show Log')
      .then((choice) => choice && this.log.show());
  }

  private offerSettings(message: string): void {
    void vscode.window
      .showInformationMessage(message, 'Open Settings')
      .then((choice) => choice && vscode.commands.executeCommand('workbench.action.openSettings', BUDGET_SETTING));
  }
}

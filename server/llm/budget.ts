/**
 * The monthly LLM budget: what this calendar month (UTC) has cost so far, a
 * warning from 80% on, and no new calls once it is used up unless the user
 * overrides. Calls run concurrently, so each reserves its estimated cost when it
 * starts and settles the real one when it ends: a call starts only while what
 * is spent plus what is reserved stays under the budget. The estimate is rough,
 * so a month can still end slightly over, by less than one call per concurrent slot.
 */
import type { LlmBudgetState } from '../../shared/review';

/** The share of the budget from which users are warned. */
export const BUDGET_WARNING_SHARE = 0.8;

/** The first instant of `now`'s calendar month in UTC, as ISO 8601. */
export function monthStartUtc(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
}

export class BudgetGuard {
  private runCostUsd = 0;
  private reservedUsd = 0;

  constructor(
    private readonly monthlyUsd: number | undefined,
    private readonly spentBeforeUsd: number,
    private readonly override: boolean,
  ) {}

  /**
   * Whether one more call, estimated at `estimateUsd`, may start; when it may, the
   * estimate is held until `settle` (with a cost of 0 for a call that failed).
   */
  reserve(estimateUsd: number): boolean {
    if (this.monthlyUsd !== undefined && !this.override && this.spentUsd() + this.reservedUsd >= this.monthlyUsd) return false;
    this.reservedUsd += estimateUsd;
    return true;
  }

  /** The call reserved at `estimateUsd` ended and cost `costUsd`. */
  settle(estimateUsd: number, costUsd: number): void {
    this.reservedUsd = Math.max(0, this.reservedUsd - estimateUsd);
    this.runCostUsd += costUsd;
  }

  state(): LlmBudgetState | null {
    if (this.monthlyUsd === undefined) return null;
    const spentUsd = Number(this.spentUsd().toFixed(6));
    return {
      monthlyUsd: this.monthlyUsd,
      spentUsd,
      warning: spentUsd >= this.monthlyUsd * BUDGET_WARNING_SHARE,
      exhausted: spentUsd >= this.monthlyUsd,
    };
  }

  private spentUsd(): number {
    return this.spentBeforeUsd + this.runCostUsd;
  }
}

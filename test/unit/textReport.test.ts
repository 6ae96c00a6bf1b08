import * as assert from 'node:assert/strict';
import type { LlmRunSummary, ReviewDocument } from '../../shared/review';
import { llmLine, toText } from '../../server/report/text';

function document(llm: LlmRunSummary | null, status: ReviewDocument['run']['status'] = 'ok'): ReviewDocument {
  return {
    run: {
      id: 'r', scope: 'working', base: null, mergeBase: null, head: 'abc', status, startedAt: '2026-11-25T00:00:00Z', durationMs: 1200,
      files: 2, hunks: 3, cacheHits: 0, llmCalls: llm?.hunksSent ?? 0, tokens: { prompt: 4000, completion: 120 }, costUsd: 0.0021,
      errors: status === 'ok' ? [] : [{ stage: 'llm', message: '1 of 2 hunk(s) were not reviewed by the LLM: HTTP 500' }], llm, learning: { suppressed: 0, demoted: 0 }, notices: [], skipped: [],
    },
    findings: [],
  };
}

const summary: LlmRunSummary = {
  model: 'gpt-4o-mini', skipped: null, hunksSent: 2, hunksCached: 1, hunksExcluded: 0, hunksOverBudget: 0, hunksFailed: 1,
  savedUsd: 0.001, redactions: 1, contextOmitted: ['src/a.ts:3: the 40 use(s) of a'], budget: { monthlyUsd: 10, spentUsd: 8.5, warning: true, exhausted: false },
};

describe('text report: the LLM line', () => {
  it('says what was asked, cached and failed, the cost, the budget and what was trimmed', () => {
    assert.equal(
      llmLine(document(summary)),
      '  LLM gpt-4o-mini: 2 hunks asked, 1 from the cache, 1 failed; 4,120 tokens, $0.0021 (the cache saved $0.0010); '
        + '$8.50 of the $10.00 monthly budget spent; 1 secret redacted; context trimmed to fit the token budget for 1 hunk',
    );
  });

  it('says how many calls the hunks took when small ones shared a prompt', () => {
    const shared = document({ ...summary, hunksSent: 5, hunksFailed: 0 });
    shared.run.llmCalls = 2;
    assert.match(llmLine(shared), /^ {2}LLM gpt-4o-mini: 5 hunks asked in 2 calls, 1 from the cache;/);
  });

  it('says why the LLM was not used, and nothing when none is configured', () => {
    assert.match(llmLine(document({ ...summary, skipped: 'untrusted' })), /not used: the workspace is not trusted$/);
    assert.match(llmLine(document({ ...summary, skipped: 'budget' })), /budget is used up \(--over-budget/);
    assert.equal(llmLine(document(null)), '');
  });

  it('does not call a partial run without findings an all-clear', () => {
    const text = toText(document(summary, 'partial'), { colour: false });
    assert.match(text, /No problems found \(.*\) — run partial\n/);
    assert.match(text, /the LLM reviewer failed: 1 of 2 hunk\(s\)/);
  });
});

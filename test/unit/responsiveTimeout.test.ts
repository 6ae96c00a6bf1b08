import * as assert from 'node:assert/strict';
import { responsiveTimeout } from '../../server/llm/responsiveTimeout';

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* the type checker, holding the event loop */ }
}

describe('the LLM attempt\'s clock (responsiveTimeout.ts)', () => {
  it('does not count the time our own work held the event loop', async () => {
    const started = performance.now();
    const clock = responsiveTimeout(200);
    busy(400);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(clock.signal.aborted, false, 'a plain timer would have fired during the block');
    await new Promise<void>((resolve) => clock.signal.addEventListener('abort', () => resolve()));
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 550, `fired after ${Math.round(elapsed)} ms: the block (400 ms) is not counted`);
    assert.equal((clock.signal.reason as DOMException).name, 'TimeoutError');
  });

  it('fires on time when nothing holds the loop, and never after dispose', async () => {
    const started = performance.now();
    const clock = responsiveTimeout(100);
    await new Promise<void>((resolve) => clock.signal.addEventListener('abort', () => resolve()));
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 95 && elapsed < 400, `fired after ${Math.round(elapsed)} ms`);
    const disposed = responsiveTimeout(50);
    disposed.dispose();
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.equal(disposed.signal.aborted, false);
  });
});

/**
 * A timeout that counts only the time this process was free to notice an answer.
 * The review starts its LLM calls just before the type checker holds the event
 * loop for a second or more, and a request is written only once the loop turns:
 * a plain timer would count the checker's time against the endpoint, and give up
 * on a request the server had seen for a fraction of the timeout.
 */

/** How often the clock looks; a look that comes later than twice this was held up by our own work. */
const TICK_MS = 25;

export interface ResponsiveTimeout {
  /** Aborts (with a `TimeoutError`, as AbortSignal.timeout does) once `ms` of responsive time have passed. */
  signal: AbortSignal;
  dispose(): void;
}

export function responsiveTimeout(ms: number): ResponsiveTimeout {
  const controller = new AbortController();
  let last = performance.now();
  let counted = 0;
  const interval = setInterval(() => {
    const now = performance.now();
    // Of a late look, only what a look on time would have counted: the rest the loop was held.
    counted += Math.min(now - last, 2 * TICK_MS);
    last = now;
    if (counted >= ms) {
      clearInterval(interval);
      controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
    }
  }, TICK_MS);
  // The request's socket keeps the process alive while it matters; the clock alone must not.
  interval.unref();
  return { signal: controller.signal, dispose: () => clearInterval(interval) };
}

/**
 * Runs the daemon's jobs one at a time. The index and the reviews share one
 * SQLite connection and yield between batches; two index passes interleaving
 * would each compute their own idea of what changed.
 */
export class WorkQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    // The next job waits for this one whether it succeeds or fails.
    this.tail = result.catch(() => undefined);
    return result;
  }
}

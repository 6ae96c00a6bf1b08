/**
 * The server's Prometheus metrics (prom-client, on a registry of its own so that nothing
 * else in the process can add to it): what this process saw (deliveries by event and
 * outcome, its answers' times) and, gathered at scrape time, what the whole team service
 * holds in PostgreSQL and the queue (depth, dead letters, reviews by status, their wait
 * and run times, LLM tokens and cost, GitHub's rate limit). Those shared figures come from
 * the database rather than from counters here, so every server replica reports the same
 * truth and a restart loses nothing. A database that does not answer within the scrape's
 * bound leaves them out and sets diffwise_store_up to 0, rather than failing the scrape.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { ReviewStatistics, ServiceStore } from '../store/serviceStore';
import type { RateLimitState } from '../../github/client';

/** The bounds (seconds) of the review wait and run histograms. */
export const REVIEW_SECONDS_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600];

/** The webhook's answers are meant to take under 100 ms: the bounds cluster there. */
const RESPONSE_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** How long a scrape waits for PostgreSQL and the queue. */
const SCRAPE_TIMEOUT_MS = 2_000;

export interface QueueFigures {
  depth(): Promise<number>;
  deadLetters(): Promise<number>;
}

interface Snapshot {
  depth: number;
  deadLetters: number;
  reviews: ReviewStatistics;
  rateLimits: Array<{ resource: string } & RateLimitState>;
}

export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A histogram whose buckets are counted elsewhere (here, by PostgreSQL): prom-client's own
 * Histogram only counts observations made in this process.
 */
function storedHistogram(name: string, help: string, read: () => ReviewStatistics['wait'] | undefined): Metric {
  return {
    name,
    help,
    type: 'histogram',
    get: async () => {
      const histogram = read();
      if (!histogram) return { name, help, type: 'histogram', aggregator: 'sum', values: [] };
      const values = REVIEW_SECONDS_BUCKETS.map((bound, i) => ({ metricName: `${name}_bucket`, labels: { le: bound }, value: histogram.buckets[i] ?? 0 }));
      values.push({ metricName: `${name}_bucket`, labels: { le: '+Inf' as unknown as number }, value: histogram.count });
      return {
        name,
        help,
        type: 'histogram',
        aggregator: 'sum',
        values: [...values, { metricName: `${name}_sum`, labels: {}, value: histogram.sumSeconds }, { metricName: `${name}_count`, labels: {}, value: histogram.count }],
      };
    },
  } as unknown as Metric;
}

/** A counter whose total is kept elsewhere (here, rows in PostgreSQL): exposed as read, typed as a counter. */
function storedCounter(name: string, help: string, read: () => Array<{ labels: Record<string, string>; value: number }> | undefined): Metric {
  return {
    name,
    help,
    type: 'counter',
    get: async () => ({ name, help, type: 'counter', aggregator: 'sum', values: read() ?? [] }),
  } as unknown as Metric;
}

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly deliveries: Counter<'event' | 'outcome'>;
  private readonly responseSeconds: Histogram<'status'>;
  private snapshot: Snapshot | undefined;

  constructor(private readonly store: ServiceStore, private readonly queue: QueueFigures, private readonly onScrapeError: (error: Error) => void = () => undefined) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'diffwise_' });
    this.deliveries = new Counter({ name: 'diffwise_webhook_deliveries_total', help: 'Webhook deliveries received by this process, by event and outcome', labelNames: ['event', 'outcome'], registers });
    this.responseSeconds = new Histogram({ name: 'diffwise_webhook_response_seconds', help: "This process's answer time to webhook deliveries", labelNames: ['status'], buckets: RESPONSE_SECONDS_BUCKETS, registers });
    this.gauge('diffwise_store_up', 'Whether PostgreSQL and the queue answered this scrape (1) or not (0)', [], (gauge) => gauge.set(this.snapshot ? 1 : 0), true);
    this.gauge('diffwise_queue_depth', 'Review jobs waiting (queued or due for a retry)', [], (gauge, s) => gauge.set(s.depth));
    this.gauge('diffwise_queue_dead_letters', 'Review jobs that ran out of attempts', [], (gauge, s) => gauge.set(s.deadLetters));
    // Totals kept in PostgreSQL (rows only ever added): counters, read at scrape time.
    this.registry.registerMetric(storedCounter('diffwise_reviews_total', 'Reviews recorded by the workers, by status', () =>
      this.snapshot && ['published', 'superseded', 'failed', 'skipped'].map((status) => ({ labels: { status }, value: this.snapshot!.reviews.byStatus.find((row) => row.status === status)?.count ?? 0 }))));
    this.registry.registerMetric(storedCounter('diffwise_llm_tokens_total', 'LLM tokens used by the recorded reviews', () => this.snapshot && [
      { labels: { kind: 'prompt' }, value: this.snapshot.reviews.byStatus.reduce((sum, row) => sum + row.prompt, 0) },
      { labels: { kind: 'completion' }, value: this.snapshot.reviews.byStatus.reduce((sum, row) => sum + row.completion, 0) },
    ]));
    this.registry.registerMetric(storedCounter('diffwise_llm_cost_usd_total', 'What the LLM calls of the recorded reviews cost, in US dollars', () =>
      this.snapshot && [{ labels: {}, value: this.snapshot.reviews.byStatus.reduce((sum, row) => sum + row.cost, 0) }]));
    this.gauge('diffwise_github_rate_limit_remaining', "GitHub's rate limit left, as a worker last saw it, by resource", ['resource'], (gauge, s) => {
      for (const limit of s.rateLimits) gauge.set({ resource: limit.resource }, limit.remaining);
    });
    this.registry.registerMetric(storedHistogram('diffwise_review_wait_seconds', 'From the delivery that asked to the review starting', () => this.snapshot?.reviews.wait));
    this.registry.registerMetric(storedHistogram('diffwise_review_run_seconds', 'How long a review ran', () => this.snapshot?.reviews.run));
  }

  /** Counts a delivery this process answered. */
  delivery(event: string, outcome: string): void {
    this.deliveries.inc({ event, outcome });
  }

  /** Times an answer to a delivery. */
  response(seconds: number, status: number): void {
    this.responseSeconds.observe({ status: String(status) }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition, with the shared figures read just now. */
  async scrape(): Promise<string> {
    try {
      const [depth, deadLetters, reviews, rateLimits] = await withTimeout(
        Promise.all([this.queue.depth(), this.queue.deadLetters(), this.store.reviewStatistics(REVIEW_SECONDS_BUCKETS), this.store.rateLimits()]),
        SCRAPE_TIMEOUT_MS,
        'PostgreSQL',
      );
      this.snapshot = { depth, deadLetters, reviews, rateLimits };
    } catch (error) {
      this.snapshot = undefined;
      this.onScrapeError(error as Error);
    }
    return this.registry.metrics();
  }

  /**
   * A gauge read at scrape time: reset (so that a label gone from the store goes from the
   * exposition too), then set from the snapshot, when the store answered.
   */
  private gauge(name: string, help: string, labelNames: string[], set: (gauge: Gauge<string>, snapshot: Snapshot) => void, always = false): void {
    const gauge: Gauge<string> = new Gauge({
      name, help, labelNames, registers: [this.registry],
      collect: () => {
        gauge.reset();
        if (this.snapshot || always) set(gauge, this.snapshot as Snapshot);
      },
    });
  }
}

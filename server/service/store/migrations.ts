/**
 * The team service's PostgreSQL schema, in numbered migrations (the discipline of the
 * SQLite store, server/store/migrations.ts): each runs once, in its own transaction,
 * recorded in diffwise.schema_migrations, under an advisory lock so that a server and
 * workers starting together migrate once. Never edit a released migration: add one.
 * pg-boss keeps its own schema (pgboss) and migrates it itself.
 */
import type { Pool } from 'pg';
import { ServiceError } from '../errors';
import { inTransaction } from './postgres';

/** The advisory lock key taken while migrating ('dwmg' in ASCII). */
const MIGRATION_LOCK = 0x64776d67;

export const SERVICE_MIGRATIONS: ReadonlyArray<{ version: number; description: string; sql: string }> = [
  {
    version: 1,
    description: 'deliveries, pull requests, reviews, team votes, the shared review cache, GitHub rate limits',
    sql: `
      -- Each webhook delivery once, by X-GitHub-Delivery: a redelivery finds its row and does nothing.
      CREATE TABLE diffwise.deliveries (
        id text PRIMARY KEY,
        event text NOT NULL,
        action text,
        repository text,
        pull_number integer,
        outcome text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX deliveries_received ON diffwise.deliveries (received_at);

      -- What the newest delivery said of each pull request: the head a review must be of.
      -- seq counts the deliveries that asked for a review, so a job can tell it was superseded.
      CREATE TABLE diffwise.pull_requests (
        repository text NOT NULL,
        number integer NOT NULL,
        installation_id bigint,
        clone_url text NOT NULL,
        head_sha text,
        head_ref text,
        base_sha text,
        base_ref text,
        state text NOT NULL DEFAULT 'open',
        draft boolean NOT NULL DEFAULT false,
        event_at timestamptz,
        seq bigint NOT NULL DEFAULT 0,
        requested_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (repository, number)
      );

      -- Every review a worker ran, with its ReviewRun (what the metrics are computed from).
      CREATE TABLE diffwise.reviews (
        id text PRIMARY KEY,
        repository text NOT NULL,
        number integer NOT NULL,
        head_sha text NOT NULL,
        base_sha text,
        status text NOT NULL CHECK (status IN ('published', 'superseded', 'failed', 'skipped')),
        run jsonb,
        findings integer NOT NULL DEFAULT 0,
        conclusion text,
        check_run_id bigint,
        review_url text,
        requested_at timestamptz,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        wait_ms integer,
        run_ms integer,
        cost_usd double precision NOT NULL DEFAULT 0,
        prompt_tokens integer NOT NULL DEFAULT 0,
        completion_tokens integer NOT NULL DEFAULT 0,
        attempt integer NOT NULL DEFAULT 1,
        job_id text,
        worker text,
        error text
      );
      -- A head is published once, whichever worker (or retry) gets there first.
      CREATE UNIQUE INDEX reviews_published_once ON diffwise.reviews (repository, number, head_sha) WHERE status = 'published';
      CREATE INDEX reviews_by_repository ON diffwise.reviews (repository, started_at);
      CREATE INDEX reviews_by_time ON diffwise.reviews (started_at);

      -- The team's votes: 👍/👎 reactions and replies on the bot's comments, one row per voter and kind.
      -- record is the vote as the learning policy reads it (server/learning/policy.ts StoredVote).
      CREATE TABLE diffwise.team_votes (
        repository text NOT NULL,
        comment_id bigint NOT NULL,
        voter text NOT NULL,
        source text NOT NULL CHECK (source IN ('reaction', 'reply')),
        vote text NOT NULL CHECK (vote IN ('up', 'down', 'clear')),
        finding_id text,
        rule_id text,
        record jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (repository, comment_id, voter, source)
      );

      -- The content-addressed review cache every worker shares: entries are immutable by key,
      -- seq orders them so that a worker copies only what is new since its last look.
      CREATE TABLE diffwise.review_cache (
        key text PRIMARY KEY,
        value text NOT NULL,
        bytes integer NOT NULL,
        seq bigserial NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX review_cache_seq ON diffwise.review_cache (seq);

      -- The GitHub rate limit last seen by any worker, per resource (core, graphql...).
      CREATE TABLE diffwise.rate_limits (
        resource text PRIMARY KEY,
        remaining integer NOT NULL,
        "limit" integer NOT NULL,
        reset_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 2,
    description: 'reviews: findings by rule (the dashboard\'s noisiest rules) and the review\'s spans (its waterfall)',
    sql: `
      ALTER TABLE diffwise.reviews ADD COLUMN findings_by_rule jsonb NOT NULL DEFAULT '{}'::jsonb;
      ALTER TABLE diffwise.reviews ADD COLUMN trace jsonb;
    `,
  },
];

export const SERVICE_SCHEMA_VERSION = SERVICE_MIGRATIONS[SERVICE_MIGRATIONS.length - 1]!.version;

/** Applies the migrations this database lacks; returns the versions applied (none when it was current). */
export async function migrateServiceStore(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE SCHEMA IF NOT EXISTS diffwise');
      await client.query('CREATE TABLE IF NOT EXISTS diffwise.schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM diffwise.schema_migrations');
      const done = new Set(rows.map((row) => row.version));
      const newer = rows.find((row) => row.version > SERVICE_SCHEMA_VERSION);
      if (newer) throw new ServiceError(`the database's schema is version ${newer.version}, newer than this build's ${SERVICE_SCHEMA_VERSION}: upgrade Diffwise on this machine`);
      const applied: number[] = [];
      for (const migration of SERVICE_MIGRATIONS) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO diffwise.schema_migrations (version, description) VALUES ($1, $2)', [migration.version, migration.description]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new ServiceError(`migration ${migration.version} (${migration.description}) failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

/** The schema version the database is at (0 before the first migration); for /readyz. */
export async function serviceSchemaVersion(pool: Pool): Promise<number> {
  // Two statements: PostgreSQL resolves every table a statement names before running it, CASE or not.
  const { rows: [table] } = await pool.query<{ exists: boolean }>("SELECT to_regclass('diffwise.schema_migrations') IS NOT NULL AS exists");
  if (!table?.exists) return 0;
  const { rows } = await pool.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM diffwise.schema_migrations');
  return rows[0]?.version ?? 0;
}

export { inTransaction };

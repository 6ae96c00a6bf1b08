/**
 * The one SQLite schema, as numbered migrations. Migration N brings the database
 * from `user_version` N-1 to N. Never edit a migration that has shipped: add the
 * next one. Tables are split by what they hold: the index and the review cache
 * are rebuildable; user data (feedback, ignored findings — later issues) is not,
 * and must survive every migration.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'workspace index and review runs',
    sql: `
      -- The catalog: one row per indexed file, keyed by path; hash decides re-parsing,
      -- size+mtime decide whether hashing is needed at all.
      CREATE TABLE files (
        id          INTEGER PRIMARY KEY,
        path        TEXT NOT NULL UNIQUE,
        size        INTEGER NOT NULL,
        mtime_ms    INTEGER NOT NULL,
        hash        TEXT NOT NULL,
        -- set when the file was seen but not parsed (too large, a generated bundle)
        skipped     TEXT
      );

      CREATE TABLE symbols (
        id          INTEGER PRIMARY KEY,
        file_id     INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        exported    INTEGER NOT NULL,
        is_default  INTEGER NOT NULL,
        start_line  INTEGER NOT NULL,
        end_line    INTEGER NOT NULL,
        signature   TEXT NOT NULL
      );
      CREATE INDEX symbols_by_file ON symbols(file_id);
      CREATE INDEX symbols_by_name ON symbols(name);

      -- Imports, re-exports, dynamic import() and require() with a literal specifier.
      -- bindings is a JSON array of {imported, local}; resolved_path is the workspace
      -- file the specifier resolves to, or NULL for packages and unresolvable ones.
      CREATE TABLE imports (
        id            INTEGER PRIMARY KEY,
        file_id       INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL,
        specifier     TEXT NOT NULL,
        resolved_path TEXT,
        line          INTEGER NOT NULL,
        type_only     INTEGER NOT NULL,
        namespace     TEXT,
        default_name  TEXT,
        bindings      TEXT NOT NULL
      );
      CREATE INDEX imports_by_file ON imports(file_id);
      CREATE INDEX imports_by_target ON imports(resolved_path);

      -- Small facts about the store itself, such as what the import resolution was computed from.
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE review_runs (
        id           TEXT PRIMARY KEY,
        scope        TEXT NOT NULL,
        base         TEXT,
        merge_base   TEXT,
        head         TEXT,
        status       TEXT NOT NULL,
        started_at   TEXT NOT NULL,
        duration_ms  INTEGER NOT NULL,
        files        INTEGER NOT NULL,
        hunks        INTEGER NOT NULL,
        findings     INTEGER NOT NULL,
        errors       TEXT NOT NULL
      );
      CREATE INDEX review_runs_by_start ON review_runs(started_at);
    `,
  },
  {
    version: 2,
    description: 'findings the user chose to ignore',
    sql: `
      -- User data: never dropped with the rebuildable index. A finding id already
      -- encodes rule, file and the code it is about, so the same finding on changed
      -- code comes back, as it should.
      CREATE TABLE ignored_findings (
        finding_id  TEXT PRIMARY KEY,
        rule_id     TEXT NOT NULL,
        file        TEXT NOT NULL,
        message     TEXT NOT NULL,
        ignored_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: 'what each review run did, for diffwise metrics',
    sql: `
      ALTER TABLE review_runs ADD COLUMN trigger TEXT NOT NULL DEFAULT 'cli';
      -- {"diff": ms, "index": ms, "rule:secret": ms, …}
      ALTER TABLE review_runs ADD COLUMN stage_ms TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE review_runs ADD COLUMN cache_hits INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE review_runs ADD COLUMN llm_calls INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE review_runs ADD COLUMN prompt_tokens INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE review_runs ADD COLUMN completion_tokens INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE review_runs ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
      ALTER TABLE review_runs ADD COLUMN saved_usd REAL NOT NULL DEFAULT 0;
      -- {"debug-leftover": 2, …} and {"error": 1, "warning": 2, "info": 0}
      ALTER TABLE review_runs ADD COLUMN findings_by_rule TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE review_runs ADD COLUMN findings_by_severity TEXT NOT NULL DEFAULT '{}';
    `,
  },
  {
    version: 4,
    description: 'the content-addressed review cache',
    sql: `
      -- Rebuildable: a hunk's findings under a key of everything that decides them
      -- (hunk content, context, rules), never line numbers or commit ids.
      CREATE TABLE review_cache (
        key           TEXT PRIMARY KEY,
        findings      TEXT NOT NULL,
        bytes         INTEGER NOT NULL,
        created_at    INTEGER NOT NULL,
        last_used_at  INTEGER NOT NULL
      );
      CREATE INDEX review_cache_by_use ON review_cache(last_used_at);
    `,
  },
  {
    version: 5,
    description: 'votes on findings, and the findings of recent reviews they can be cast on',
    sql: `
      -- User data: every vote ever cast, in order (the latest per finding counts; 'clear'
      -- withdraws). Kept with what it was about, so it still means something once the
      -- finding is gone: rule, category, file, and fingerprints of the code and message.
      -- Never dropped or rewritten by a later migration; also journalled to
      -- feedback.jsonl beside the database, so a corrupt file set aside loses none.
      CREATE TABLE feedback (
        id                   TEXT PRIMARY KEY,
        finding_id           TEXT NOT NULL,
        vote                 TEXT NOT NULL CHECK (vote IN ('up', 'down', 'clear')),
        reason               TEXT,
        rule_id              TEXT NOT NULL,
        category             TEXT NOT NULL,
        source               TEXT NOT NULL,
        severity             TEXT NOT NULL,
        file                 TEXT NOT NULL,
        line                 INTEGER NOT NULL,
        message              TEXT NOT NULL,
        code                 TEXT NOT NULL,
        code_fingerprint     TEXT NOT NULL,
        message_fingerprint  TEXT NOT NULL,
        created_at           TEXT NOT NULL,
        origin               TEXT NOT NULL DEFAULT 'local'
      );
      CREATE INDEX feedback_by_finding ON feedback(finding_id, created_at);

      -- Rebuildable: the findings recent reviews reported (suppressed ones included), so that
      -- a vote by id from the terminal knows what it is about. Pruned by age.
      CREATE TABLE recent_findings (
        finding_id           TEXT PRIMARY KEY,
        run_id               TEXT NOT NULL,
        finding              TEXT NOT NULL,
        code                 TEXT NOT NULL,
        code_fingerprint     TEXT NOT NULL,
        message_fingerprint  TEXT NOT NULL,
        seen_at              TEXT NOT NULL
      );
      CREATE INDEX recent_findings_by_seen ON recent_findings(seen_at);
    `,
  },
  {
    version: 6,
    description: 'pull-request review comments synced from GitHub',
    sql: `
      -- Rebuildable from GitHub: the pull request of each synced branch, its review
      -- comments, reviews and threads (GitHub's JSON, trimmed), and the validators of the
      -- requests that fetched them, so that a sync after nothing changed costs only 304s.
      CREATE TABLE pr_pulls (
        repository  TEXT NOT NULL,        -- owner/repo
        branch      TEXT NOT NULL,
        number      INTEGER NOT NULL,
        pull        TEXT NOT NULL,        -- PullRequestInfo JSON
        synced_at   TEXT NOT NULL,
        PRIMARY KEY (repository, branch)
      );
      CREATE TABLE pr_comments (
        repository  TEXT NOT NULL,
        number      INTEGER NOT NULL,
        id          INTEGER NOT NULL,
        comment     TEXT NOT NULL,        -- the REST review comment, trimmed
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (repository, number, id)
      );
      CREATE TABLE pr_reviews (
        repository  TEXT NOT NULL,
        number      INTEGER NOT NULL,
        id          INTEGER NOT NULL,
        review      TEXT NOT NULL,
        PRIMARY KEY (repository, number, id)
      );
      CREATE TABLE pr_threads (
        repository  TEXT NOT NULL,
        number      INTEGER NOT NULL,
        thread_id   TEXT NOT NULL,
        resolved    INTEGER NOT NULL,
        comment_ids TEXT NOT NULL,        -- JSON array of REST comment ids
        PRIMARY KEY (repository, number, thread_id)
      );
      CREATE TABLE http_validators (
        url         TEXT PRIMARY KEY,     -- the request URL, query included
        etag        TEXT NOT NULL,
        body        TEXT NOT NULL,        -- what a 304 stands for
        link        TEXT                  -- the Link header, for the next page
      );
    `,
  },
  {
    version: 7,
    description: 'recognisably ours, and no secret at rest',
    sql: `
      -- "DFWS" in the file's header: only a file that says so (or sits in our own folder)
      -- is ever moved aside as corrupt; any other file --db names is left alone.
      PRAGMA application_id = ${0x44465753};
      -- Rebuildable, and written before stored text was redacted: symbol signatures held
      -- initialisers in full (\`const token = "…"\`), cached findings and the last review an
      -- editor showed their suggestions. The index is rebuilt on the next pass, the rest refills.
      DELETE FROM files;
      DELETE FROM review_cache;
      DELETE FROM meta WHERE key = 'last-review';
      -- The code kept with votes (feedback.code), with recent findings and in the vote
      -- journal is user data: it is rewritten with secrets redacted, never dropped. That
      -- takes the secret detectors, which are asynchronous, so it happens right after the
      -- database is opened (server/store/atRest.ts) while this marker is set.
      INSERT OR REPLACE INTO meta (key, value) VALUES ('redact-at-rest', 'pending');
    `,
  },
  {
    version: 8,
    description: 'the mined history of co-changes',
    sql: `
      -- The commits co-change mining has read (server/history/), oldest first; the range's
      -- newest commit is meta 'co-change-head'. Rebuildable from git log.
      CREATE TABLE co_change_commits (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        sha         TEXT NOT NULL UNIQUE,
        files       TEXT NOT NULL         -- JSON array of repository-relative paths, exclusions applied
      );
    `,
  },
  {
    version: 9,
    description: 'observability: the last reviews\' spans, failures by fingerprint, alert states, process starts',
    sql: `
      -- The spans of the last reviews (server/observability/trace.ts), for the metrics
      -- webview's waterfall; pruned to the newest reviews. Rebuildable: only history.
      CREATE TABLE review_spans (
        run_id          TEXT NOT NULL,
        trace_id        TEXT NOT NULL,
        span_id         TEXT NOT NULL,
        parent_span_id  TEXT,
        name            TEXT NOT NULL,
        start_ms        REAL NOT NULL,     -- from the review's start
        duration_ms     REAL NOT NULL,
        status          TEXT NOT NULL,     -- ok | error
        attributes      TEXT NOT NULL,     -- JSON object
        PRIMARY KEY (run_id, span_id)
      );
      CREATE INDEX review_spans_by_run ON review_spans (run_id);

      -- Failures grouped by a stable fingerprint (stage + error class + normalised message).
      CREATE TABLE error_groups (
        fingerprint     TEXT PRIMARY KEY,
        stage           TEXT NOT NULL,
        error_class     TEXT NOT NULL,
        message         TEXT NOT NULL,     -- normalised
        example         TEXT NOT NULL,     -- the last message as said, redacted
        count           INTEGER NOT NULL,
        first_seen      TEXT NOT NULL,
        last_seen       TEXT NOT NULL,
        example_run_id  TEXT
      );

      -- One row per alert that fires now: an alert is told once, when its row is made,
      -- and again only after it cleared (its row deleted).
      CREATE TABLE alert_state (
        id              TEXT PRIMARY KEY,
        since           TEXT NOT NULL,
        alert           TEXT NOT NULL      -- JSON: the Alert as last evaluated
      );

      -- When each daemon started, for "restarting in a loop"; pruned to the last day.
      CREATE TABLE process_starts (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        process         TEXT NOT NULL,     -- daemon | server | worker
        started_at      TEXT NOT NULL,
        pid             INTEGER
      );
    `,
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

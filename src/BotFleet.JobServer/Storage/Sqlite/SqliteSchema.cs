namespace BotFleet.JobServer.Storage.Sqlite;

/// <summary>The SQLite schema. Every statement is idempotent, so creating it on each start is safe.</summary>
internal static class SqliteSchema
{
    public const int Version = 9;

    // seq gives the insertion order ("oldest first") and a compact key for the claim subquery.
    public const string Create = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS jobs (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            op TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'leased', 'completed', 'dead')),
            priority INTEGER NOT NULL,
            attempt INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL,
            run_after INTEGER NOT NULL,
            lease_until INTEGER NULL,
            lease_bot_id TEXT NULL,
            lease_instance_id TEXT NULL,
            result TEXT NULL,
            error TEXT NULL,
            idempotency_key TEXT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );

        -- Sweep path: leases that ran out. (The claim and listing indexes come with migration 4.)
        CREATE INDEX IF NOT EXISTS ix_jobs_lease ON jobs (lease_until) WHERE status = 'leased';

        CREATE TABLE IF NOT EXISTS job_attempts (
            job_id TEXT NOT NULL REFERENCES jobs (id),
            attempt INTEGER NOT NULL,
            bot_id TEXT NOT NULL,
            instance_id TEXT NOT NULL,
            started INTEGER NOT NULL,
            ended INTEGER NULL,
            outcome TEXT NULL,
            error TEXT NULL,
            PRIMARY KEY (job_id, attempt)
        );

        CREATE TABLE IF NOT EXISTS bots (
            bot_id TEXT PRIMARY KEY,
            bot_key TEXT NOT NULL UNIQUE,
            instance_id TEXT NOT NULL,
            version TEXT NOT NULL,
            capabilities TEXT NOT NULL,
            max_concurrency INTEGER NOT NULL,
            paused INTEGER NOT NULL DEFAULT 0,
            token_hash TEXT NOT NULL,
            refresh_token_hash TEXT NULL,
            token_expires_at INTEGER NULL,
            resources TEXT NULL,
            meta TEXT NULL,
            registered_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL
        );

        CREATE INDEX IF NOT EXISTS ix_bots_last_seen ON bots (last_seen_at);

        INSERT INTO schema_version (version)
        SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM schema_version);
        """;

    /// <summary>Steps from one version to the next, applied in order to a database older than <see cref="Version"/>.</summary>
    public static readonly IReadOnlyList<(int Version, string Sql)> Migrations =
    [
        (2, """
            -- Operator assignment (PUT /v1/bots/{bot_id}/assignment): NULL follows the bot's registration.
            ALTER TABLE bots ADD COLUMN assigned_operations TEXT NULL;
            ALTER TABLE bots ADD COLUMN assigned_max_concurrency INTEGER NULL;
            -- A change is delivered on the next heartbeat once: version > delivered means "tell the bot".
            ALTER TABLE bots ADD COLUMN assignment_version INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE bots ADD COLUMN delivered_assignment_version INTEGER NOT NULL DEFAULT 0;
            UPDATE schema_version SET version = 2;
            """),
        (3, """
            -- Counts per (op, status) for GET /v1/stats, which used to scan every job ever submitted; kept exact by
            -- the triggers below (SQLite has one writer at a time, so a shared counter row costs no waiting).
            CREATE TABLE job_status_counts (
                op TEXT NOT NULL,
                status TEXT NOT NULL,
                n INTEGER NOT NULL,
                PRIMARY KEY (op, status)
            ) WITHOUT ROWID;

            CREATE TRIGGER jobs_status_counts_insert AFTER INSERT ON jobs
            BEGIN
                INSERT INTO job_status_counts (op, status, n) VALUES (new.op, new.status, 1)
                ON CONFLICT (op, status) DO UPDATE SET n = n + 1;
            END;

            CREATE TRIGGER jobs_status_counts_update AFTER UPDATE OF op, status ON jobs
            WHEN old.op IS NOT new.op OR old.status IS NOT new.status
            BEGIN
                UPDATE job_status_counts SET n = n - 1 WHERE op = old.op AND status = old.status;
                INSERT INTO job_status_counts (op, status, n) VALUES (new.op, new.status, 1)
                ON CONFLICT (op, status) DO UPDATE SET n = n + 1;
            END;

            CREATE TRIGGER jobs_status_counts_delete AFTER DELETE ON jobs
            BEGIN
                UPDATE job_status_counts SET n = n - 1 WHERE op = old.op AND status = old.status;
            END;

            -- The jobs already there (the migration runs in the write transaction, so none can slip in between).
            INSERT INTO job_status_counts (op, status, n) SELECT op, status, COUNT(*) FROM jobs GROUP BY op, status;
            UPDATE schema_version SET version = 3;
            """),
        (4, """
            -- Every status change rewrote the entries of two indexes over all jobs (claim order, listing by status).
            -- Partial indexes hold only the rows that need them: a job enters the queue indexes at submit (or retry)
            -- and leaves them at claim, enters ix_jobs_dead once, and completed jobs are listed in rowid order.
            DROP INDEX IF EXISTS ix_jobs_claim;
            DROP INDEX IF EXISTS ix_jobs_status;
            -- Claim path: pending jobs of one op, best priority first, then oldest.
            CREATE INDEX IF NOT EXISTS ix_jobs_queue ON jobs (op, priority DESC, seq) WHERE status = 'pending';
            -- Listing pending or dead jobs, oldest first.
            CREATE INDEX IF NOT EXISTS ix_jobs_pending ON jobs (seq) WHERE status = 'pending';
            CREATE INDEX IF NOT EXISTS ix_jobs_dead ON jobs (seq) WHERE status = 'dead';
            UPDATE schema_version SET version = 4;
            """),
        (5, """
            -- An attempt was inserted at claim and updated at report; now its row is written once, when it ends, and
            -- the running attempt is the lease on the jobs row (bot, instance and, new here, when it started).
            ALTER TABLE jobs ADD COLUMN lease_started_at INTEGER NULL;
            UPDATE jobs SET lease_started_at = (
                SELECT a.started FROM job_attempts a WHERE a.job_id = jobs.id AND a.attempt = jobs.attempt AND a.ended IS NULL)
            WHERE status = 'leased';
            DELETE FROM job_attempts WHERE ended IS NULL;
            UPDATE schema_version SET version = 5;
            """),
        (6, """
            -- Each bot's latest claim that leased jobs, by the bot's claim_id (jobs as a JSON array): a claim repeated
            -- with that id (its answer was lost) is answered with those jobs, not with new ones.
            ALTER TABLE bots ADD COLUMN last_claim_id TEXT NULL;
            ALTER TABLE bots ADD COLUMN last_claim_jobs TEXT NULL;
            UPDATE schema_version SET version = 6;
            """),
        (7, """
            -- The store keeps job_status_counts itself, one upsert per (op, status) per transaction (StatusCountDeltas):
            -- per-row triggers ran two statements for every job that changed status. The counts they kept stay.
            DROP TRIGGER IF EXISTS jobs_status_counts_insert;
            DROP TRIGGER IF EXISTS jobs_status_counts_update;
            DROP TRIGGER IF EXISTS jobs_status_counts_delete;
            UPDATE schema_version SET version = 7;
            """),
        (8, """
            -- Cancel (POST /v1/jobs/{id}/cancel): the status 'cancelled', which version 1's CHECK refuses, and SQLite
            -- cannot change a CHECK, so the table is rebuilt (in this migration's transaction; job_attempts' foreign
            -- key is checked at commit, when "jobs" is the new table). New columns: a cancel asked while a bot runs
            -- the job, and the progress the running attempt reports with its heartbeats.
            PRAGMA defer_foreign_keys = ON;
            CREATE TABLE jobs_v8 (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                op TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'leased', 'completed', 'dead', 'cancelled')),
                priority INTEGER NOT NULL,
                attempt INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL,
                run_after INTEGER NOT NULL,
                lease_until INTEGER NULL,
                lease_bot_id TEXT NULL,
                lease_instance_id TEXT NULL,
                result TEXT NULL,
                error TEXT NULL,
                idempotency_key TEXT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                lease_started_at INTEGER NULL,
                cancel_requested_at INTEGER NULL,
                progress_percent REAL NULL,
                progress_message TEXT NULL,
                progress_attempt INTEGER NULL
            );
            INSERT INTO jobs_v8 (seq, id, op, payload, status, priority, attempt, max_attempts, run_after, lease_until,
                lease_bot_id, lease_instance_id, result, error, idempotency_key, created_at, updated_at, lease_started_at)
            SELECT seq, id, op, payload, status, priority, attempt, max_attempts, run_after, lease_until,
                lease_bot_id, lease_instance_id, result, error, idempotency_key, created_at, updated_at, lease_started_at
            FROM jobs;
            DROP TABLE jobs;
            ALTER TABLE jobs_v8 RENAME TO jobs;
            CREATE INDEX ix_jobs_lease ON jobs (lease_until) WHERE status = 'leased';
            CREATE INDEX ix_jobs_queue ON jobs (op, priority DESC, seq) WHERE status = 'pending';
            CREATE INDEX ix_jobs_pending ON jobs (seq) WHERE status = 'pending';
            CREATE INDEX ix_jobs_dead ON jobs (seq) WHERE status = 'dead';
            CREATE INDEX ix_jobs_cancelled ON jobs (seq) WHERE status = 'cancelled';
            UPDATE schema_version SET version = 8;
            """),
        (9, """
            -- The submit request's W3C traceparent, handed to the bot with the claim so its spans join the submitter's trace.
            ALTER TABLE jobs ADD COLUMN trace_parent TEXT NULL;
            -- What each bot's latest heartbeat said of it (GET /v1/bots, the console): its outbox and its last error.
            ALTER TABLE bots ADD COLUMN outbox_size INTEGER NULL;
            ALTER TABLE bots ADD COLUMN last_error TEXT NULL;
            UPDATE schema_version SET version = 9;
            """),
    ];
}

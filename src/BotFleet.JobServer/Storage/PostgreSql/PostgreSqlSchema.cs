namespace BotFleet.JobServer.Storage.PostgreSql;

/// <summary>
/// The PostgreSQL schema of the job store, as numbered migrations. <see cref="PostgreSqlJobStore"/> applies the ones
/// a database lacks inside one transaction that holds <see cref="AdvisoryLockKey"/>, so servers starting together
/// queue up instead of colliding in the catalog. Times are bigint unix milliseconds, like the SQLite store.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>Key of the transaction-scoped advisory lock that serialises migrations ("BFJOBSV1" as ASCII).</summary>
    public const long AdvisoryLockKey = 0x4246_4A4F_4253_5631;

    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS job_store_schema (
            version integer NOT NULL
        );
        """;

    /// <summary>Steps from one version to the next, applied in order to a database older than <see cref="Version"/>.</summary>
    public static readonly IReadOnlyList<(int Version, string Sql)> Migrations =
    [
        (1, """
            CREATE TABLE IF NOT EXISTS jobs (
                -- Insertion order ("oldest first") and the keyset cursor of listings.
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id text NOT NULL UNIQUE,
                op text NOT NULL,
                -- Compact JSON kept as text: byte-for-byte what the producer sent (jsonb would reorder keys).
                payload text NOT NULL,
                status text NOT NULL CHECK (status IN ('pending', 'leased', 'completed', 'dead')),
                priority integer NOT NULL,
                attempt integer NOT NULL DEFAULT 0,
                max_attempts integer NOT NULL,
                run_after bigint NOT NULL,
                lease_until bigint NULL,
                lease_bot_id text NULL,
                lease_instance_id text NULL,
                result text NULL,
                error text NULL,
                idempotency_key text NULL UNIQUE,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL
            );

            -- Claim path: only pending rows are indexed, so its size follows the queue, not the history.
            CREATE INDEX IF NOT EXISTS ix_jobs_claim ON jobs (op, priority DESC, seq) WHERE status = 'pending';
            -- Rescue path: leases that ran out.
            CREATE INDEX IF NOT EXISTS ix_jobs_lease ON jobs (lease_until) WHERE status = 'leased';
            -- Listings by status or by op (replaced in version 3).
            CREATE INDEX IF NOT EXISTS ix_jobs_status ON jobs (status, seq);
            CREATE INDEX IF NOT EXISTS ix_jobs_op ON jobs (op, seq);

            CREATE TABLE IF NOT EXISTS job_attempts (
                job_id text NOT NULL REFERENCES jobs (id),
                attempt integer NOT NULL,
                bot_id text NOT NULL,
                instance_id text NOT NULL,
                started bigint NOT NULL,
                ended bigint NULL,
                outcome text NULL CHECK (outcome IN ('completed', 'failed', 'lost')),
                error text NULL,
                PRIMARY KEY (job_id, attempt)
            );

            CREATE TABLE IF NOT EXISTS bots (
                bot_id text PRIMARY KEY,
                bot_key text NOT NULL UNIQUE,
                instance_id text NOT NULL,
                version text NOT NULL,
                capabilities text[] NOT NULL,
                max_concurrency integer NOT NULL,
                paused boolean NOT NULL DEFAULT false,
                token_hash text NOT NULL,
                refresh_token_hash text NULL,
                token_expires_at bigint NOT NULL,
                resources text NULL,
                meta text NULL,
                -- Operator assignment (PUT /v1/bots/{bot_id}/assignment): NULL follows the registration.
                assigned_operations text[] NULL,
                assigned_max_concurrency integer NULL,
                -- A change is delivered on the next heartbeat once: version > delivered means "tell the bot".
                assignment_version bigint NOT NULL DEFAULT 0,
                delivered_assignment_version bigint NOT NULL DEFAULT 0,
                registered_at bigint NOT NULL,
                last_seen_at bigint NOT NULL
            );

            CREATE INDEX IF NOT EXISTS ix_bots_last_seen ON bots (last_seen_at);
            """),
        (2, """
            -- Counts per (op, status) for GET /v1/stats, which used to scan every job ever submitted. Triggers append
            -- each statement's net change as new rows (insert-only: concurrent writers never wait on a shared
            -- counter row, and no two transactions can deadlock on them); stats add the rows up and
            -- PostgreSqlStatusCountFolding folds them into one row per (op, status) every few seconds.
            CREATE TABLE job_status_counts (
                op text NOT NULL,
                status text NOT NULL,
                n bigint NOT NULL
            );

            CREATE FUNCTION job_status_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO job_status_counts (op, status, n)
                SELECT op, status, count(*) FROM new_jobs GROUP BY op, status;
                RETURN NULL;
            END $$;

            CREATE FUNCTION job_status_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO job_status_counts (op, status, n)
                SELECT op, status, sum(n) FROM (
                    SELECT op, status, -1 AS n FROM old_jobs
                    UNION ALL
                    SELECT op, status, 1 FROM new_jobs
                ) AS change
                GROUP BY op, status
                HAVING sum(n) <> 0;
                RETURN NULL;
            END $$;

            CREATE FUNCTION job_status_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO job_status_counts (op, status, n)
                SELECT op, status, -count(*) FROM old_jobs GROUP BY op, status;
                RETURN NULL;
            END $$;

            -- Per statement, with transition tables: one small insert per claim or report batch, not one per job.
            CREATE TRIGGER jobs_status_counts_insert AFTER INSERT ON jobs
                REFERENCING NEW TABLE AS new_jobs
                FOR EACH STATEMENT EXECUTE FUNCTION job_status_counts_inserted();
            CREATE TRIGGER jobs_status_counts_update AFTER UPDATE ON jobs
                REFERENCING OLD TABLE AS old_jobs NEW TABLE AS new_jobs
                FOR EACH STATEMENT EXECUTE FUNCTION job_status_counts_updated();
            CREATE TRIGGER jobs_status_counts_delete AFTER DELETE ON jobs
                REFERENCING OLD TABLE AS old_jobs
                FOR EACH STATEMENT EXECUTE FUNCTION job_status_counts_deleted();

            -- The jobs already there; SHARE mode keeps writers of older servers out until this commits.
            LOCK TABLE jobs IN SHARE MODE;
            INSERT INTO job_status_counts (op, status, n)
            SELECT op, status, count(*) FROM jobs GROUP BY op, status;
            """),
        (3, """
            -- A job's row is rewritten at claim and at report, and since its status is indexed no rewrite is HOT: each
            -- one adds an entry to every index whose predicate the new row meets. Version 1 had two full indexes only
            -- listings used and a unique index holding every NULL idempotency key; now listings use partial indexes
            -- that a job enters once (pending at submit or retry, dead once) or none (completed: the primary key).
            DROP INDEX IF EXISTS ix_jobs_status;
            DROP INDEX IF EXISTS ix_jobs_op;
            CREATE INDEX IF NOT EXISTS ix_jobs_pending ON jobs (seq) WHERE status = 'pending';
            CREATE INDEX IF NOT EXISTS ix_jobs_dead ON jobs (seq) WHERE status = 'dead';
            CREATE UNIQUE INDEX IF NOT EXISTS ux_jobs_idempotency_key ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL;
            ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_idempotency_key_key;
            """),
        (4, """
            -- An attempt was inserted at claim (with its foreign-key check) and updated at report; now its row is
            -- written once, when it ends, and the running attempt is the lease on the jobs row (bot, instance and,
            -- new here, when it started).
            ALTER TABLE jobs ADD COLUMN IF NOT EXISTS lease_started_at bigint NULL;
            LOCK TABLE jobs IN SHARE ROW EXCLUSIVE MODE;
            UPDATE jobs j SET lease_started_at = a.started
            FROM job_attempts a
            WHERE j.status = 'leased' AND a.job_id = j.id AND a.attempt = j.attempt AND a.ended IS NULL;
            DELETE FROM job_attempts WHERE ended IS NULL;
            """),
        (5, """
            -- Each bot's latest claim that leased jobs, by the bot's claim_id: a claim repeated with that id (its answer
            -- was lost) is answered with those jobs, not with new ones (IJobStore.ClaimAsync). One row per bot.
            ALTER TABLE bots ADD COLUMN IF NOT EXISTS last_claim_id text NULL;
            ALTER TABLE bots ADD COLUMN IF NOT EXISTS last_claim_jobs text[] NULL;
            """),
        (6, """
            -- Cancel (POST /v1/jobs/{id}/cancel): the status and attempt outcome 'cancelled' (the checks are replaced
            -- NOT VALID: every existing row meets the old ones, so nothing needs scanning), and when a cancel was asked
            -- while a bot ran the job. Progress: what the running attempt last reported with a heartbeat.
            ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_status_check;
            ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
                CHECK (status IN ('pending', 'leased', 'completed', 'dead', 'cancelled')) NOT VALID;
            ALTER TABLE job_attempts DROP CONSTRAINT IF EXISTS job_attempts_outcome_check;
            ALTER TABLE job_attempts ADD CONSTRAINT job_attempts_outcome_check
                CHECK (outcome IN ('completed', 'failed', 'lost', 'cancelled')) NOT VALID;
            ALTER TABLE jobs
                ADD COLUMN IF NOT EXISTS cancel_requested_at bigint NULL,
                ADD COLUMN IF NOT EXISTS progress_percent double precision NULL,
                ADD COLUMN IF NOT EXISTS progress_message text NULL,
                ADD COLUMN IF NOT EXISTS progress_attempt integer NULL;
            CREATE INDEX IF NOT EXISTS ix_jobs_cancelled ON jobs (seq) WHERE status = 'cancelled';
            """),
        (7, """
            -- The submit request's W3C traceparent, handed to the bot with the claim so its spans join the submitter's trace.
            ALTER TABLE jobs ADD COLUMN IF NOT EXISTS trace_parent text NULL;
            -- What each bot's latest heartbeat said of it (GET /v1/bots, the console): its outbox and its last error.
            ALTER TABLE bots
                ADD COLUMN IF NOT EXISTS outbox_size integer NULL,
                ADD COLUMN IF NOT EXISTS last_error text NULL;
            """),
    ];

    public static int Version => Migrations[^1].Version;
}

-- One cycle of PostgreSqlJobStore's SQL for :batch jobs (pgbench -D batch=N -D submit=0|1): submit them (when
-- submit=1), claim them, report them complete; the statements as the store sends them at schema version 5.
\set now 1764900000000
\if :submit
BEGIN;
SELECT pg_notify('botfleet_jobs', 'sum');
INSERT INTO jobs (id, op, payload, status, priority, attempt, max_attempts, run_after, idempotency_key, created_at, updated_at)
SELECT 'job_' || lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0') || left(md5(random()::text || g), 20),
       'sum', '{"a":1,"b":2}', 'pending', 0, 0, 3, 0, NULL,
       (extract(epoch from now()) * 1000)::bigint, (extract(epoch from now()) * 1000)::bigint
FROM generate_series(1, :batch::integer) g
ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING;
COMMIT;
\endif
BEGIN;
SET LOCAL enable_bitmapscan = off;
WITH bot AS (
    SELECT instance_id, COALESCE(assigned_operations, capabilities) AS ops, paused FROM bots WHERE bot_id = 'bot_' || :client_id::text
    FOR UPDATE
), picked AS (
    SELECT p.seq FROM bot CROSS JOIN unnest(ARRAY['sum']) AS o(op)
    CROSS JOIN LATERAL (
        SELECT j.seq, j.priority FROM jobs j
        WHERE j.status = 'pending' AND j.op = o.op AND j.run_after <= :now::bigint
          AND NOT bot.paused AND o.op = ANY(bot.ops)
        ORDER BY j.priority DESC, j.seq
        LIMIT :batch::integer
        FOR UPDATE SKIP LOCKED
    ) p
    ORDER BY p.priority DESC, p.seq
    LIMIT :batch::integer
), claimed AS (
    UPDATE jobs j
    SET status = 'leased', attempt = j.attempt + 1, lease_until = :now::bigint + 300000, lease_bot_id = 'bot_' || :client_id::text,
        lease_instance_id = bot.instance_id, lease_started_at = :now::bigint, updated_at = :now::bigint
    FROM picked, bot
    WHERE j.seq = picked.seq
    RETURNING j.seq, j.id, j.op, j.payload, j.priority, j.attempt, j.created_at
), seen AS (
    UPDATE bots SET last_seen_at = :now::bigint, last_claim_id = 'c' || random()::text, last_claim_jobs = ARRAY(SELECT id FROM claimed)
    WHERE bot_id = 'bot_' || :client_id::text
)
SELECT COALESCE(array_agg(c.id ORDER BY c.priority DESC, c.seq), ARRAY[]::text[])::text AS ids FROM bot LEFT JOIN claimed c ON true \gset
COMMIT;
BEGIN;
SELECT 1 FROM jobs WHERE id = ANY(:ids::text[]) ORDER BY id FOR UPDATE;
SELECT j.id, j.op, j.status, j.attempt, j.max_attempts, j.result,
       COALESCE(a.bot_id, j.lease_bot_id), COALESCE(a.instance_id, j.lease_instance_id), a.outcome, a.error,
       j.lease_started_at, a.job_id IS NOT NULL
FROM jobs j LEFT JOIN job_attempts a ON a.job_id = j.id AND a.attempt = j.attempt
WHERE j.id = ANY(:ids::text[]);
UPDATE jobs j
SET status = 'completed', result = '3', error = NULL, run_after = j.run_after, lease_until = NULL,
    updated_at = :now::bigint
FROM unnest(:ids::text[]) AS u(id)
WHERE j.id = u.id;
COMMIT;

#!/bin/bash
# What PostgreSQL alone costs per job for the job store's own SQL (2026-12-05, issue 7): pgbench replays
# the claim and report statements of PostgreSqlJobStore (schema version 5, copied here; not kept in step with
# the store) in transactions of 100 jobs against a throwaway cluster, and the cluster's CPU is read from /proc.
#   run.sh MODE CLIENTS SECONDS PREFILL [BATCH] [SUBMIT]
#   MODE: pgbench -M (extended = what Npgsql sends unprepared, prepared = with Max Auto Prepare)
#   PREFILL: pending jobs queued first; BATCH: jobs per transaction (100); SUBMIT: 1 = each cycle submits its jobs
#   too (cycle.sql), 0 = only claims and reports (the default when PREFILL > 0)
#   ANALYZE=1: ANALYZE jobs after the prefill.
# Needs the Release build of the job server (it creates the schema) and initdb/pg_ctl/pgbench on PATH; run as root.
set -euo pipefail
mode=$1; clients=$2; seconds=$3; prefill=$4; per=${5:-100}; submit=${6:-$([ "$prefill" -gt 0 ] && echo 0 || echo 1)}
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../../.." && pwd)
dir=$(mktemp -d /tmp/pg-floor.XXXX); chmod 777 "$dir"; port=55432
runuser -u postgres -- initdb -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
runuser -u postgres -- pg_ctl -D "$dir/data" -l "$dir/pg.log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
trap 'runuser -u postgres -- pg_ctl -D "$dir/data" -m fast stop >/dev/null; rm -rf "$dir"' EXIT
P="psql -q -h 127.0.0.1 -p $port -U postgres"
$P -c "CREATE DATABASE jobs"
"$repo/src/BotFleet.JobServer/bin/Release/net10.0/BotFleet.JobServer" --urls http://127.0.0.1:55999 --JobServer:Store=PostgreSql \
  "--JobServer:PostgreSqlConnectionString=Host=127.0.0.1;Port=$port;Username=postgres;Database=jobs" >"$dir/server.log" 2>&1 &
server=$!
until $P -d jobs -tc "SELECT 1 FROM pg_tables WHERE tablename = 'bots'" | grep -q 1; do sleep 0.5; done
sleep 1; kill $server; wait $server || true
P="$P -d jobs"
$P -c "INSERT INTO bots (bot_id, bot_key, instance_id, version, capabilities, max_concurrency, token_hash, token_expires_at, registered_at, last_seen_at) SELECT 'bot_' || g, 'key' || g, 'inst', '1.0.0', ARRAY['sum'], 100, 'h', 0, 0, 0 FROM generate_series(0, 63) g"
for i in $(seq 1 $((prefill / 1000))); do
  echo "INSERT INTO jobs (id, op, payload, status, priority, attempt, max_attempts, run_after, created_at, updated_at) SELECT 'job_' || lpad(to_hex($i * 1000 + g), 12, '0') || left(md5(random()::text || g), 20), 'sum', '{\"a\":1,\"b\":2}', 'pending', 0, 0, 3, 0, 0, 0 FROM generate_series(1, 1000) g;"
done | $P
[ -n "${ANALYZE:-}" ] && $P -c "ANALYZE jobs"
cpu() { # CPU seconds of the cluster: live processes and the reaped children of the postmaster
  local pm tot=0 s; pm=$(head -1 "$dir/data/postmaster.pid")
  for p in $(pgrep -u postgres); do s=$(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0); tot=$((tot + s)); done
  tot=$((tot + $(awk '{print $16+$17}' /proc/$pm/stat))); echo "scale=3; $tot / $(getconf CLK_TCK)" | bc; }
before=$(cpu)
out=$(pgbench -n -h 127.0.0.1 -p $port -U postgres -M "$mode" -c "$clients" -j 2 -T "$seconds" -D batch="$per" -D submit="$submit" -f "$here/cycle.sql" jobs 2>&1)
sleep 1; after=$(cpu)
tps=$(echo "$out" | grep -oP 'tps = \K[0-9.]+' | head -1)
left=$($P -tc "SELECT count(*) FROM jobs WHERE status = 'pending'")
echo "batch $per, submit $submit, -M $mode, $clients clients, $seconds s, prefill $prefill${ANALYZE:+ (analyzed)}: $(echo "$tps * $per" | bc) jobs/s," \
     "PostgreSQL $(echo "$after - $before" | bc) CPU s, $(echo "scale=4; ($after - $before) * 1000 / ($tps * $per * $seconds)" | bc) ms/job, $left pending left"

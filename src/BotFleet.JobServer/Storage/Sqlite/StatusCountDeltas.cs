namespace BotFleet.JobServer.Storage.Sqlite;

/// <summary>
/// What one write transaction changes in <c>job_status_counts</c>, gathered while it changes jobs and written at its
/// end as one upsert per (op, status). Per-row triggers did this before schema version 7; they cost ≈ 10 µs per
/// submitted job and ≈ 3 µs per claimed or reported one, inside the store's single write lock (issue 7). Every
/// statement that inserts, deletes or changes the status of a job must record it here.
/// </summary>
internal sealed class StatusCountDeltas
{
    private readonly Dictionary<(string Op, string Status), long> _deltas = [];

    public void Add(string op, string status) => Change(op, status, 1);

    public void Remove(string op, string status, long count = 1) => Change(op, status, -count);

    public void Move(string op, string from, string to, long count = 1)
    {
        if (string.Equals(from, to, StringComparison.Ordinal))
        {
            return;
        }

        Change(op, from, -count);
        Change(op, to, count);
    }

    public void Write(SqliteWriteConnection write)
    {
        foreach (var ((op, status), delta) in _deltas)
        {
            if (delta != 0)
            {
                write.Execute(
                    """
                    INSERT INTO job_status_counts (op, status, n) VALUES (@op, @status, @n)
                    ON CONFLICT (op, status) DO UPDATE SET n = n + excluded.n
                    """,
                    ("@op", op),
                    ("@status", status),
                    ("@n", delta));
            }
        }
    }

    private void Change(string op, string status, long delta) =>
        _deltas[(op, status)] = _deltas.GetValueOrDefault((op, status)) + delta;
}

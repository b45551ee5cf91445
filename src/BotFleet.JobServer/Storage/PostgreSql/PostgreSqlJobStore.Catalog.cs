using Npgsql;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.PostgreSql;

// Reading jobs: the attempts the shared catalog and claim answers list.
internal sealed partial class PostgreSqlJobStore
{
    private protected override async ValueTask<Dictionary<string, List<StoredJobAttempt>>> LoadAttemptsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        var attempts = new Dictionary<string, List<StoredJobAttempt>>(StringComparer.Ordinal);
        if (jobIds.Count == 0)
        {
            return attempts;
        }

        await using var command = new NpgsqlCommand(
            "SELECT job_id, attempt, bot_id, instance_id, started, ended, outcome, error FROM job_attempts WHERE job_id = ANY(@ids) ORDER BY job_id, attempt",
            connection,
            transaction);
        Add(command, "ids", jobIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            AddAttempt(attempts, reader);
        }

        return attempts;
    }
}

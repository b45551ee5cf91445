using System.Globalization;
using Microsoft.Data.Sqlite;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.Sqlite;

// Reading jobs: the attempts the shared catalog and claim answers list.
internal sealed partial class SqliteJobStore
{
    private protected override ValueTask<Dictionary<string, List<StoredJobAttempt>>> LoadAttemptsAsync(
        SqliteConnection connection, SqliteWriteConnection? transaction, IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        var attempts = new Dictionary<string, List<StoredJobAttempt>>(StringComparer.Ordinal);
        if (jobIds.Count == 0)
        {
            return ValueTask.FromResult(attempts);
        }

        using var command = Command(connection, transaction?.Transaction, string.Empty);
        var names = new List<string>(jobIds.Count);
        for (var i = 0; i < jobIds.Count; i++)
        {
            var name = "@j" + i.ToString(CultureInfo.InvariantCulture);
            names.Add(name);
            command.Parameters.AddWithValue(name, jobIds[i]);
        }

        command.CommandText =
            $"SELECT job_id, attempt, bot_id, instance_id, started, ended, outcome, error FROM job_attempts WHERE job_id IN ({string.Join(", ", names)}) ORDER BY job_id, attempt";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            AddAttempt(attempts, reader);
        }

        return ValueTask.FromResult(attempts);
    }
}

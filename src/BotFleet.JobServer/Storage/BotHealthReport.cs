using System.Data.Common;

namespace BotFleet.JobServer.Storage;

/// <summary>What a bot's latest heartbeat said of it: reports waiting in its outbox, and the error it is stuck on (if any).</summary>
public sealed record BotHealthReport(int OutboxSize, string? LastError)
{
    /// <summary>Reads outbox_size and last_error from <paramref name="first"/> on, as both stores list them; null when the heartbeat said nothing.</summary>
    internal static BotHealthReport? Read(DbDataReader reader, int first) =>
        reader.IsDBNull(first) ? null : new(reader.GetInt32(first), reader.IsDBNull(first + 1) ? null : reader.GetString(first + 1));
}

using System.Data.Common;

namespace BotFleet.JobServer.Storage;

/// <summary>
/// One row of the jobs table, as both stores read it (times in unix milliseconds). Their SELECTs list
/// the columns in this record's order, which <see cref="Read"/> relies on.
/// </summary>
internal sealed record JobRow(
    long Seq,
    string Id,
    string Op,
    string Payload,
    string Status,
    JobPriority Priority,
    int Attempt,
    int MaxAttempts,
    string? Result,
    string? Error,
    long RunAfter,
    long? LeaseUntil,
    long CreatedAt,
    long UpdatedAt,
    string? LeaseBotId,
    string? LeaseInstanceId,
    long? LeaseStartedAt,
    long? CancelRequestedAt,
    double? ProgressPercent,
    string? ProgressMessage,
    int? ProgressAttempt)
{
    public static JobRow Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        (JobPriority)reader.GetInt32(5),
        reader.GetInt32(6),
        reader.GetInt32(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.GetInt64(10),
        reader.IsDBNull(11) ? null : reader.GetInt64(11),
        reader.GetInt64(12),
        reader.GetInt64(13),
        reader.IsDBNull(14) ? null : reader.GetString(14),
        reader.IsDBNull(15) ? null : reader.GetString(15),
        reader.IsDBNull(16) ? null : reader.GetInt64(16),
        reader.IsDBNull(17) ? null : reader.GetInt64(17),
        reader.IsDBNull(18) ? null : reader.GetDouble(18),
        reader.IsDBNull(19) ? null : reader.GetString(19),
        reader.IsDBNull(20) ? null : reader.GetInt32(20));
}

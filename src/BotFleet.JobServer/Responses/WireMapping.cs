using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Storage;

namespace BotFleet.JobServer.Responses;

/// <summary>From stored records to wire shapes.</summary>
internal static class WireMapping
{
    public const string ApiSource = "api";

    public static ClaimedJob ToWire(this ClaimedJobRecord job) =>
        new(
            job.Id,
            job.Op,
            ParseJson(job.PayloadJson),
            job.LeaseUntil,
            job.Attempt,
            new ClaimedJobMetadata(
                job.Priority.ToWire(),
                ApiSource,
                job.CreatedAt,
                job.PreviousAttempts.Select(a => new PreviousAttempt(a.Attempt, a.BotId, a.Ended, a.Error, a.Outcome)).ToList()),
            job.TraceParent);

    public static JobView ToWire(this StoredJob job) =>
        new(
            job.Id,
            job.Op,
            ParseJson(job.PayloadJson),
            job.Status,
            job.Priority.ToWire(),
            job.Attempt,
            job.MaxAttempts,
            job.ResultJson is null ? null : ParseJson(job.ResultJson),
            job.Error,
            job.Attempts.Select(a => new JobAttemptView(a.Attempt, a.BotId, a.InstanceId, a.Started, a.Ended, a.Outcome, a.Error)).ToList(),
            job.CreatedAt,
            job.UpdatedAt,
            job.LeaseUntil,
            job.Status == JobStatuses.Pending ? job.RunAfter : null,
            job.CancelRequestedAt,
            job.Progress is { } progress ? new JobProgress(progress.Percent, progress.Message) : null);

    public static JobStatusCounts ToWire(this StatusCounts counts) => new(counts.Pending, counts.Leased, counts.Completed, counts.Dead, counts.Cancelled);

    public static StatsResponse ToWire(this JobStoreStats stats) =>
        new(
            stats.Jobs.ToWire(),
            stats.ByOp.ToDictionary(kv => kv.Key, kv => kv.Value.ToWire(), StringComparer.Ordinal),
            new BotCounts(stats.RegisteredBots, stats.ActiveBots));

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

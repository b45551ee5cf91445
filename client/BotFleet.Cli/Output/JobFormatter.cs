using System.Text.Json;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Cli.Output;

/// <summary>Renders one job (GET /v1/jobs/{id}) as labelled lines, or as the server's JSON.</summary>
internal static class JobFormatter
{
    public static void WriteText(TextWriter writer, JobView job)
    {
        writer.WriteLine($"id:           {job.Id}");
        writer.WriteLine($"op:           {job.Op}");
        writer.WriteLine($"status:       {job.Status}");
        writer.WriteLine($"priority:     {job.Priority}");
        writer.WriteLine($"attempt:      {Text.Number(job.Attempt)}/{Text.Number(job.MaxAttempts)}");
        writer.WriteLine($"payload:      {Compact(job.Payload)}");
        writer.WriteLine($"result:       {(job.Result is { } result ? Compact(result) : Text.None)}");
        writer.WriteLine($"error:        {job.Error ?? Text.None}");
        writer.WriteLine($"created:      {Text.Time(job.CreatedAt)}");
        writer.WriteLine($"updated:      {Text.Time(job.UpdatedAt)}");
        writer.WriteLine($"lease until:  {Text.Time(job.LeaseUntil)}");
        if (job.Progress is { } progress)
        {
            writer.WriteLine($"progress:     {progress.Percent.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}%{(progress.Message is { } message ? " " + Text.OneLine(message, 200) : string.Empty)}");
        }

        if (job.CancelRequestedAt is { } cancelRequested)
        {
            writer.WriteLine($"cancel asked: {Text.Time(cancelRequested)} (its bot stops it after its next heartbeat)");
        }
        foreach (var attempt in job.Attempts ?? [])
        {
            writer.WriteLine(
                $"attempt {Text.Number(attempt.Attempt)}:    bot {attempt.BotId}, {Text.Time(attempt.Started)} → {Text.Time(attempt.Ended)}, " +
                $"{attempt.Outcome ?? "running"}{(attempt.Error is { } error ? ": " + Text.OneLine(error, 200) : string.Empty)}");
        }
    }

    private static string Compact(JsonElement element) => element.ValueKind == JsonValueKind.Undefined ? Text.None : JsonSerializer.Serialize(element, CliJson.CompactOptions);
}

namespace BotFleet.Contracts.Jobs;

/// <summary>What running a job produced: a JSON result, or an error message.</summary>
[GenerateSerializer, Immutable, Alias("BotFleet.JobOutcome")]
public sealed record JobOutcome
{
    [Id(0)] public required string JobId { get; init; }
    [Id(1)] public string? ResultJson { get; init; }
    [Id(2)] public string? Error { get; init; }

    public bool Succeeded => Error is null;

    public static JobOutcome Success(string jobId, string resultJson) => new() { JobId = jobId, ResultJson = resultJson };

    public static JobOutcome Failure(string jobId, string error) => new() { JobId = jobId, Error = error };
}

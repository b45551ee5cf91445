namespace BotFleet.Contracts.Jobs;

/// <summary>One claimed job handed to a worker grain. The payload is the job's JSON object, as text.</summary>
/// <param name="TraceParent">The bot's span for the job (W3C traceparent), parent of the handler's span; null when not traced.</param>
[GenerateSerializer, Immutable, Alias("BotFleet.JobWork")]
public sealed record JobWork(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Op,
    [property: Id(2)] string PayloadJson,
    [property: Id(3)] int Attempt,
    [property: Id(4)] string? TraceParent = null);

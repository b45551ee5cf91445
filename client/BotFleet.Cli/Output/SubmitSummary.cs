namespace BotFleet.Cli.Output;

/// <summary>The --json answer of <c>jobs submit</c>: what was submitted and how fast; the ids only with --ids.</summary>
/// <param name="JobsPerSecond">Null when the submission took no measurable time.</param>
internal sealed record SubmitSummary(
    int Count,
    string Op,
    string FirstId,
    string LastId,
    double ElapsedMs,
    double? JobsPerSecond,
    IReadOnlyList<string>? Ids);

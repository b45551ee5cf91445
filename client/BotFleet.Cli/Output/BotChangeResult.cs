namespace BotFleet.Cli.Output;

/// <summary>
/// The --json answer of the bot commands that change something (start, stop, pause, resume). Every field is always
/// written (null where the command does not set it), so scripts see one shape.
/// </summary>
/// <param name="Action">started, stopped, paused or resumed.</param>
internal sealed record BotChangeResult(
    string BotKey,
    string Action,
    string? BotId = null,
    bool? Paused = null,
    IReadOnlyList<string>? Operations = null,
    int? MaxConcurrency = null,
    int? ClaimBatchSize = null);

namespace BotFleet.Cli.Output;

/// <summary>One bot's outbox, for <c>outbox show</c> and <c>outbox flush</c>.</summary>
/// <param name="Before">Reports held when flush started (equal to <paramref name="OutboxSize"/> for show).</param>
internal sealed record BotOutbox(string BotKey, string State, int OutboxSize, int Before, string? LastError);

/// <summary>The --json answer of <c>outbox show</c> and <c>outbox flush</c>.</summary>
/// <param name="TotalReports">Reports still undelivered over the bots listed.</param>
/// <param name="Delivered">Reports delivered during a flush (0 for show).</param>
internal sealed record OutboxReport(long TotalReports, long Delivered, IReadOnlyList<BotOutbox> Bots);

namespace BotFleet.LoadBench.Hosting;

/// <summary>One <c>BotFleet:Bots:&lt;key&gt;</c> entry written into the silo's settings file.</summary>
internal sealed record ConfiguredBot(string Key, IReadOnlyList<string> Operations, int MaxConcurrency, int ClaimBatchSize)
{
    /// <summary><paramref name="count"/> bots "<paramref name="prefix"/>-1"… alike.</summary>
    public static IReadOnlyList<ConfiguredBot> Fleet(string prefix, int count, string operation, int maxConcurrency, int claimBatchSize) =>
        [.. Enumerable.Range(1, count).Select(i => new ConfiguredBot($"{prefix}-{i}", [operation], maxConcurrency, claimBatchSize))];
}

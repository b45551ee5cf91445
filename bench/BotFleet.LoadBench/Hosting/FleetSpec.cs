namespace BotFleet.LoadBench.Hosting;

/// <summary>Where the silo keeps grain state and reminders in the PostgreSQL scenarios.</summary>
internal enum SiloStateStore
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The fleet that replaces the shipped bots: <paramref name="Bots"/> bots "load-1"… offering "sum", each with
/// <paramref name="MaxConcurrency"/> and <paramref name="ClaimBatchSize"/>; rate limits on unless turned off.
/// </summary>
internal sealed record FleetSpec(int Bots, int MaxConcurrency, int ClaimBatchSize, bool RateLimits, SiloStateStore SiloState)
{
    public IEnumerable<string> SiloArguments()
    {
        for (var i = 1; i <= Bots; i++)
        {
            var key = $"BotFleet:Bots:load-{i}";
            yield return $"--{key}:Operations:0=sum";
            yield return $"--{key}:MaxConcurrency={MaxConcurrency}";
            yield return $"--{key}:ClaimBatchSize={ClaimBatchSize}";
        }
    }

    public override string ToString() =>
        $"{Bots} bot(s) x max_concurrency {MaxConcurrency}, claim batch {ClaimBatchSize}, rate limits {(RateLimits ? "on" : "off")}, silo state on {SiloState}";
}

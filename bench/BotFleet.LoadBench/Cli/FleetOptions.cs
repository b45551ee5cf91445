using System.CommandLine;
using BotFleet.LoadBench.Hosting;

namespace BotFleet.LoadBench.Cli;

/// <summary>Options of the PostgreSQL scenarios: the fleet that replaces the shipped bots, rate limits, silo state.</summary>
internal sealed class FleetOptions(int bots, int maxConcurrency, int claimBatch)
{
    public Option<int> Bots { get; } = CommonOptions.Positive(new Option<int>("--bots") { Description = "Bots in the fleet (load-1…), each offering sum.", DefaultValueFactory = _ => bots, HelpName = "n" });

    public Option<int> MaxConcurrency { get; } = CommonOptions.Positive(new Option<int>("--max-concurrency") { Description = "BotFleet:Bots:<key>:MaxConcurrency of each bot (1-1000).", DefaultValueFactory = _ => maxConcurrency, HelpName = "n" });

    public Option<int> ClaimBatch { get; } = CommonOptions.Positive(new Option<int>("--claim-batch") { Description = "BotFleet:Bots:<key>:ClaimBatchSize of each bot (1-100).", DefaultValueFactory = _ => claimBatch, HelpName = "n" });

    public Option<bool> NoRateLimits { get; } = new("--no-rate-limits") { Description = "Run the job server with JobServer:RateLimits:Enabled=false (default: shipped limits)." };

    public Option<SiloStateStore> SiloStorage { get; } = new("--silo-storage") { Description = "Where the silo keeps grain state and reminders.", DefaultValueFactory = _ => SiloStateStore.Sqlite };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Bots, MaxConcurrency, ClaimBatch, NoRateLimits, SiloStorage })
        {
            command.Options.Add(option);
        }
    }

    public FleetSpec Read(ParseResult parseResult) => new(
        parseResult.GetValue(Bots),
        parseResult.GetValue(MaxConcurrency),
        parseResult.GetValue(ClaimBatch),
        !parseResult.GetValue(NoRateLimits),
        parseResult.GetValue(SiloStorage));
}

using System.CommandLine;
using System.Globalization;
using BotFleet.LoadBench.Cli;
using BotFleet.LoadBench.Hosting;
using BotFleet.LoadBench.Measurement;

namespace BotFleet.LoadBench.Scenarios;

/// <summary>
/// <c>postgres</c> and <c>one-bot</c>: a throwaway PostgreSQL, the standalone job server on it, and a silo whose
/// shipped bots are replaced by a fleet of sum bots; N sum jobs through them. The two differ only in the fleet's
/// defaults (4 × 64, claim batch 100; and 1 × 100, claim batch 100).
/// </summary>
internal static class PostgresScenario
{
    public static Command Create(string name, string description, CommonOptions common, int bots, int maxConcurrency, int claimBatch)
    {
        var throughput = new ThroughputOptions();
        var fleetOptions = new FleetOptions(bots, maxConcurrency, claimBatch);
        var command = new Command(name, description);
        throughput.AddTo(command);
        fleetOptions.AddTo(command);
        common.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = common.Read(parseResult);
            var run = throughput.Read(parseResult, settings.StallTimeout);
            var fleet = fleetOptions.Read(parseResult);
            var scenario = new Scenario(
                name,
                new Dictionary<string, string>
                {
                    ["jobs"] = run.Jobs.ToString(CultureInfo.InvariantCulture),
                    ["batch"] = run.BatchSize.ToString(CultureInfo.InvariantCulture),
                    ["bots"] = fleet.Bots.ToString(CultureInfo.InvariantCulture),
                    ["max_concurrency"] = fleet.MaxConcurrency.ToString(CultureInfo.InvariantCulture),
                    ["claim_batch"] = fleet.ClaimBatchSize.ToString(CultureInfo.InvariantCulture),
                    ["rate_limits"] = fleet.RateLimits ? "on" : "off",
                    ["silo_storage"] = fleet.SiloState.ToString().ToLowerInvariant(),
                    ["silo_args"] = string.Join(' ', settings.SiloArguments),
                    ["server_args"] = string.Join(' ', settings.ServerArguments),
                },
                NeedsJobServer: true,
                (product, directory, ct) => Deployment.StartPostgresAsync(product, directory, fleet, settings.SiloArguments, settings.ServerArguments, ct),
                (deployment, ct) => ThroughputRun.RunAsync(deployment, run, ct));
            return await ScenarioRunner.RunAsync(scenario, settings, cancellationToken);
        });
        return command;
    }
}

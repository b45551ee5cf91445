using System.CommandLine;
using System.Globalization;
using BotFleet.LoadBench.Cli;
using BotFleet.LoadBench.Hosting;
using BotFleet.LoadBench.Measurement;

namespace BotFleet.LoadBench.Scenarios;

/// <summary>
/// <c>embedded</c>: the default a user starts — one silo with the embedded job server on SQLite and the shipped
/// settings and bots, nothing set but ports — and N sum jobs through it.
/// </summary>
internal static class EmbeddedScenario
{
    public static Command Create(CommonOptions common)
    {
        var throughput = new ThroughputOptions();
        var command = new Command("embedded", "Throughput of the embedded default (silo + job server on SQLite, shipped bots and settings).");
        throughput.AddTo(command);
        common.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = common.Read(parseResult);
            var run = throughput.Read(parseResult, settings.StallTimeout);
            var scenario = new Scenario(
                "embedded",
                new Dictionary<string, string>
                {
                    ["jobs"] = run.Jobs.ToString(CultureInfo.InvariantCulture),
                    ["batch"] = run.BatchSize.ToString(CultureInfo.InvariantCulture),
                    ["fleet"] = "shipped (silo/appsettings.json)",
                    ["silo_args"] = string.Join(' ', settings.SiloArguments),
                },
                NeedsJobServer: false,
                (product, directory, ct) => Deployment.StartEmbeddedAsync(product, directory, settings.SiloArguments, ct),
                (deployment, ct) => ThroughputRun.RunAsync(deployment, run, ct));
            return await ScenarioRunner.RunAsync(scenario, settings, cancellationToken);
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using BotFleet.LoadBench.Cli;
using BotFleet.LoadBench.Hosting;
using BotFleet.LoadBench.Measurement;

namespace BotFleet.LoadBench.Scenarios;

/// <summary><c>latency</c>: submit→completed-visible of one job at a time against the idle embedded default.</summary>
internal static class LatencyScenario
{
    public static Command Create(CommonOptions common)
    {
        var samples = CommonOptions.Positive(new Option<int>("--samples", "-m") { Description = "Measured single-job samples.", DefaultValueFactory = _ => 200, HelpName = "M" });
        var warmup = new Option<int>("--warmup") { Description = "Samples taken first and not counted.", DefaultValueFactory = _ => 10, HelpName = "n" };
        var poll = CommonOptions.Positive(new Option<int>("--poll-ms") { Description = "Delay between two GET /v1/jobs/{id} of one sample.", DefaultValueFactory = _ => 1, HelpName = "ms" });
        var pause = new Option<int>("--max-pause-ms") { Description = "Random pause of 0..this between samples.", DefaultValueFactory = _ => 200, HelpName = "ms" };
        var command = new Command("latency", "Submit→completed latency of single jobs against the idle embedded default.") { samples, warmup, poll, pause };
        common.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = common.Read(parseResult);
            var run = new LatencySettings(
                parseResult.GetValue(samples),
                Math.Max(0, parseResult.GetValue(warmup)),
                TimeSpan.FromMilliseconds(parseResult.GetValue(poll)),
                TimeSpan.FromMilliseconds(Math.Max(0, parseResult.GetValue(pause))),
                settings.StallTimeout);
            var scenario = new Scenario(
                "latency",
                new Dictionary<string, string>
                {
                    ["samples"] = run.Samples.ToString(CultureInfo.InvariantCulture),
                    ["warmup"] = run.Warmup.ToString(CultureInfo.InvariantCulture),
                    ["poll_ms"] = run.PollInterval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
                    ["max_pause_ms"] = run.MaxPause.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
                    ["fleet"] = "shipped (silo/appsettings.json)",
                    ["silo_args"] = string.Join(' ', settings.SiloArguments),
                },
                NeedsJobServer: false,
                (product, directory, ct) => Deployment.StartEmbeddedAsync(product, directory, settings.SiloArguments, ct),
                (deployment, ct) => LatencyRun.RunAsync(deployment, run, ct));
            return await ScenarioRunner.RunAsync(scenario, settings, cancellationToken);
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using BotFleet.LoadBench.Cli;
using BotFleet.LoadBench.Hosting;
using BotFleet.LoadBench.Measurement;

namespace BotFleet.LoadBench.Scenarios;

/// <summary>
/// <c>soak</c>: the embedded default (shipped settings and bots) under a steady stream of sum jobs for a duration;
/// the silo's RSS slope and whether the queue kept up.
/// </summary>
internal static class SoakScenario
{
    public static Command Create(CommonOptions common)
    {
        var duration = new Option<TimeSpan>("--duration") { Description = "How long to load it (hh:mm:ss).", DefaultValueFactory = _ => TimeSpan.FromMinutes(30), HelpName = "hh:mm:ss" };
        var rate = CommonOptions.Positive(new Option<int>("--rate") { Description = "Sum jobs submitted per second.", DefaultValueFactory = _ => 2_000, HelpName = "jobs/s" });
        var batch = CommonOptions.Positive(new Option<int>("--batch") { Description = "Jobs per POST /v1/jobs (at most 1,000).", DefaultValueFactory = _ => 1_000, HelpName = "n" });
        var sample = CommonOptions.Positive(new Option<int>("--sample-interval") { Description = "Seconds between two samples of RSS, CPU and queue.", DefaultValueFactory = _ => 10, HelpName = "seconds" });
        duration.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<TimeSpan>() < TimeSpan.FromSeconds(20))
            {
                result.AddError("--duration must be at least 00:00:20.");
            }
        });
        batch.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() > 1_000)
            {
                result.AddError("--batch must be at most 1000 (the API's limit).");
            }
        });
        var command = new Command("soak", "Steady load on the embedded default: silo RSS slope and whether the queue keeps up.") { duration, rate, batch, sample };
        common.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = common.Read(parseResult);
            var run = new SoakSettings(parseResult.GetValue(duration), parseResult.GetValue(rate), parseResult.GetValue(batch), TimeSpan.FromSeconds(parseResult.GetValue(sample)));
            var scenario = new Scenario(
                "soak",
                new Dictionary<string, string>
                {
                    ["duration"] = run.Duration.ToString("c", CultureInfo.InvariantCulture),
                    ["rate"] = run.Rate.ToString(CultureInfo.InvariantCulture),
                    ["batch"] = run.BatchSize.ToString(CultureInfo.InvariantCulture),
                    ["sample_interval_s"] = run.SampleInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                    ["fleet"] = "shipped (silo/appsettings.json)",
                    ["silo_args"] = string.Join(' ', settings.SiloArguments),
                },
                NeedsJobServer: false,
                (product, directory, ct) => Deployment.StartEmbeddedAsync(product, directory, settings.SiloArguments, ct),
                (deployment, ct) => SoakRun.RunAsync(deployment, run, ct));
            return await ScenarioRunner.RunAsync(scenario, settings, cancellationToken);
        });
        return command;
    }
}

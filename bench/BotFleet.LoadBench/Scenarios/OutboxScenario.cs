using System.CommandLine;
using System.Globalization;
using BotFleet.LoadBench.Cli;
using BotFleet.LoadBench.Hosting;
using BotFleet.LoadBench.Measurement;

namespace BotFleet.LoadBench.Scenarios;

/// <summary>
/// <c>outbox</c>: the standalone job server on a throwaway PostgreSQL and a silo without an embedded server whose bots
/// run R sleep jobs; the server is SIGKILLed while they run and restarted once the reports are all in the outboxes;
/// reports/s flushed from the restart until every job is completed.
/// </summary>
internal static class OutboxScenario
{
    public static Command Create(CommonOptions common)
    {
        var reports = CommonOptions.Positive(new Option<int>("--reports") { Description = "Sleep jobs, hence reports held in the outboxes.", DefaultValueFactory = _ => 100_000, HelpName = "R" });
        var bots = CommonOptions.Positive(new Option<int>("--bots") { Description = "Bots outbox-1… (each offers sleep).", DefaultValueFactory = _ => 100, HelpName = "n" });
        var maxConcurrency = CommonOptions.Positive(new Option<int>("--max-concurrency") { Description = "BotFleet:Bots:<key>:MaxConcurrency of each bot (1-1000).", DefaultValueFactory = _ => 1_000, HelpName = "n" });
        var claimBatch = CommonOptions.Positive(new Option<int>("--claim-batch") { Description = "BotFleet:Bots:<key>:ClaimBatchSize of each bot (1-100).", DefaultValueFactory = _ => 100, HelpName = "n" });
        var sleep = CommonOptions.Positive(new Option<int>("--sleep-ms") { Description = "How long each job sleeps; all must be claimed before the first ends, and claim + sleep + flush must stay within the 300 s lease.", DefaultValueFactory = _ => 90_000, HelpName = "ms" });
        var batch = CommonOptions.Positive(new Option<int>("--batch") { Description = "Jobs per POST /v1/jobs.", DefaultValueFactory = _ => 1_000, HelpName = "n" });
        var command = new Command("outbox", "Outbox flush after a job-server outage (PostgreSQL): reports/s from the restart until every job is completed.")
        {
            reports, bots, maxConcurrency, claimBatch, sleep, batch,
        };
        common.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = common.Read(parseResult);
            var run = new OutboxSettings(
                parseResult.GetValue(reports),
                parseResult.GetValue(bots),
                parseResult.GetValue(maxConcurrency),
                parseResult.GetValue(claimBatch),
                parseResult.GetValue(sleep),
                parseResult.GetValue(batch),
                settings.StallTimeout);
            if ((long)run.Bots * run.MaxConcurrency < run.Reports)
            {
                throw new BenchException($"--bots {run.Bots} x --max-concurrency {run.MaxConcurrency} cannot run {run.Reports:N0} jobs at once.");
            }

            // Each bot must keep claiming with its reports undelivered, and hold all of them: raise the high-water mark.
            string[] siloArguments = [$"--BotFleet:Scheduler:OutboxHighWaterMark={run.MaxConcurrency * 2}", .. settings.SiloArguments];
            var fleet = ConfiguredBot.Fleet("outbox", run.Bots, "sleep", run.MaxConcurrency, run.ClaimBatchSize);
            ProductLayout? layout = null;
            var scenario = new Scenario(
                "outbox",
                new Dictionary<string, string>
                {
                    ["reports"] = run.Reports.ToString(CultureInfo.InvariantCulture),
                    ["bots"] = run.Bots.ToString(CultureInfo.InvariantCulture),
                    ["max_concurrency"] = run.MaxConcurrency.ToString(CultureInfo.InvariantCulture),
                    ["claim_batch"] = run.ClaimBatchSize.ToString(CultureInfo.InvariantCulture),
                    ["sleep_ms"] = run.SleepMs.ToString(CultureInfo.InvariantCulture),
                    ["silo_args"] = string.Join(' ', siloArguments),
                    ["server_args"] = string.Join(' ', settings.ServerArguments),
                },
                NeedsJobServer: true,
                (product, directory, ct) =>
                {
                    layout = product;
                    return Deployment.StartPostgresFleetAsync(product, directory, fleet, siloArguments, settings.ServerArguments, ct);
                },
                (deployment, ct) => OutboxRun.RunAsync(layout!, deployment, run, ct));
            return await ScenarioRunner.RunAsync(scenario, settings, cancellationToken);
        });
        return command;
    }
}

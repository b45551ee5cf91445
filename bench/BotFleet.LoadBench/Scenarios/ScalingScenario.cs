using System.CommandLine;
using System.Globalization;
using BotFleet.LoadBench.Cli;
using BotFleet.LoadBench.Hosting;
using BotFleet.LoadBench.Measurement;
using BotFleet.LoadBench.Reporting;

namespace BotFleet.LoadBench.Scenarios;

/// <summary>
/// <c>scaling</c>: does a job cost the same at any size? The <c>postgres</c> topology (silo, standalone job server,
/// PostgreSQL) for every pair of job count and fleet size, fresh processes for each, and one table of CPU and
/// allocations per job.
/// </summary>
internal static class ScalingScenario
{
    public static Command Create(CommonOptions common)
    {
        var jobCounts = PositiveList(new Option<int[]>("--jobs", "-n") { Description = "Job counts to run, e.g. -n 1000 -n 10000.", DefaultValueFactory = _ => [1_000, 10_000, 100_000], HelpName = "N", AllowMultipleArgumentsPerToken = true });
        var fleetSizes = PositiveList(new Option<int[]>("--bots") { Description = "Fleet sizes to run (bots load-1…, each offering sum).", DefaultValueFactory = _ => [1, 10, 100, 1_000], HelpName = "n", AllowMultipleArgumentsPerToken = true });
        var maxConcurrency = CommonOptions.Positive(new Option<int>("--max-concurrency") { Description = "max_concurrency of every bot.", DefaultValueFactory = _ => 64, HelpName = "n" });
        var claimBatch = CommonOptions.Positive(new Option<int>("--claim-batch") { Description = "Claim batch of every bot.", DefaultValueFactory = _ => 100, HelpName = "n" });
        var command = new Command("scaling", "CPU and allocations per job for every pair of job count (1k/10k/100k) and fleet size (1/10/100/1,000 bots), on the PostgreSQL topology.");
        foreach (var option in new Option[] { jobCounts, fleetSizes, maxConcurrency, claimBatch })
        {
            command.Options.Add(option);
        }

        common.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = common.Read(parseResult);
            var jobs = parseResult.GetValue(jobCounts)!.Distinct().Order().ToArray();
            var bots = parseResult.GetValue(fleetSizes)!.Distinct().Order().ToArray();
            var product = await ScenarioRunner.PrepareAsync(settings, needsJobServer: true, cancellationToken);
            var startedAt = TimeProvider.System.GetUtcNow();
            var cells = new List<BenchReport>();
            foreach (var fleetSize in bots)
            {
                foreach (var jobCount in jobs)
                {
                    var fleet = new FleetSpec(fleetSize, parseResult.GetValue(maxConcurrency), parseResult.GetValue(claimBatch), RateLimits: true, SiloStateStore.Sqlite);
                    var run = new ThroughputSettings(jobCount, 1_000, Math.Min(jobCount, 1_000), settings.StallTimeout);
                    var scenario = new Scenario(
                        // The name becomes part of temp folder paths (PostgreSQL's among them): no spaces.
                        $"scaling-{fleetSize}bots-{jobCount}jobs",
                        new Dictionary<string, string>
                        {
                            ["jobs"] = jobCount.ToString(CultureInfo.InvariantCulture),
                            ["bots"] = fleetSize.ToString(CultureInfo.InvariantCulture),
                            ["max_concurrency"] = fleet.MaxConcurrency.ToString(CultureInfo.InvariantCulture),
                            ["claim_batch"] = fleet.ClaimBatchSize.ToString(CultureInfo.InvariantCulture),
                        },
                        NeedsJobServer: true,
                        (p, directory, ct) => Deployment.StartPostgresAsync(p, directory, fleet, settings.SiloArguments, settings.ServerArguments, ct),
                        (deployment, ct) => ThroughputRun.RunAsync(deployment, run, ct));
                    cells.Add(await ScenarioRunner.CollectAsync(scenario, settings, product, cancellationToken));
                }
            }

            PrintMatrix(cells, bots, jobs, Console.Out);
            var recorded = new Dictionary<string, string>
            {
                ["jobs"] = string.Join(',', jobs),
                ["bots"] = string.Join(',', bots),
                ["max_concurrency"] = parseResult.GetValue(maxConcurrency).ToString(CultureInfo.InvariantCulture),
                ["claim_batch"] = parseResult.GetValue(claimBatch).ToString(CultureInfo.InvariantCulture),
            };
            Console.WriteLine($"JSON: {ReportWriter.WriteJson("scaling", recorded, cells, ScenarioRunner.DefaultJsonPath(settings, product, "scaling", startedAt))}");
            return 0;
        });
        return command;
    }

    /// <summary>One row per fleet size, one column per job count: jobs/s, then CPU ms and KiB allocated per job (all processes).</summary>
    private static void PrintMatrix(List<BenchReport> cells, int[] bots, int[] jobs, TextWriter output)
    {
        string Cell(int fleetSize, int jobCount)
        {
            var median = cells.Single(c => c.Settings["bots"] == fleetSize.ToString(CultureInfo.InvariantCulture) && c.Settings["jobs"] == jobCount.ToString(CultureInfo.InvariantCulture)).Median();
            string Value(string name) => median.FirstOrDefault(m => m.Name == name)?.Value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "-";
            return $"{Value("jobs_per_s")} jobs/s · {Value("cpu_ms_per_job.total")} ms · {Value("alloc_kib_per_job.total")} KiB";
        }

        output.WriteLine();
        output.WriteLine("scaling (median of each cell): jobs/s · CPU ms per job (silo + job server + PostgreSQL) · KiB allocated per job (silo + job server)");
        output.WriteLine($"| bots | {string.Join(" | ", jobs.Select(j => $"{j:N0} jobs"))} |");
        output.WriteLine($"|---|{string.Join("|", jobs.Select(_ => "---"))}|");
        foreach (var fleetSize in bots)
        {
            output.WriteLine($"| {fleetSize:N0} | {string.Join(" | ", jobs.Select(j => Cell(fleetSize, j)))} |");
        }
    }

    private static Option<int[]> PositiveList(Option<int[]> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int[]>() is { } values && values.Any(v => v < 1))
            {
                result.AddError($"{option.Name} values must be at least 1.");
            }
        });
        return option;
    }
}

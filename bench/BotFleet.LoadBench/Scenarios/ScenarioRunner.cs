using System.Globalization;
using BotFleet.LoadBench.Hosting;
using BotFleet.LoadBench.Reporting;

namespace BotFleet.LoadBench.Scenarios;

/// <summary>
/// Runs a scenario --repeat times, each on freshly started processes that are killed afterwards whatever happens,
/// prints each run and the medians, and writes the JSON report.
/// </summary>
internal static class ScenarioRunner
{
    public static async Task<int> RunAsync(Scenario scenario, CommonSettings common, CancellationToken cancellationToken)
    {
        var product = await PrepareAsync(common, scenario.NeedsJobServer, cancellationToken);
        var report = await CollectAsync(scenario, common, product, cancellationToken);
        ReportWriter.PrintTable(report, Console.Out);
        Console.WriteLine($"JSON: {ReportWriter.WriteJson(report, DefaultJsonPath(common, product, scenario.Name, report.StartedAt))}");
        return 0;
    }

    /// <summary>Finds the product (building it first when asked) and checks that its executables are there.</summary>
    public static async Task<ProductLayout> PrepareAsync(CommonSettings common, bool needsJobServer, CancellationToken cancellationToken)
    {
        var product = ProductLayout.Find(common.Repo);
        if (common.Build)
        {
            await product.BuildAsync(cancellationToken);
        }

        product.RequireBuilt(needsJobServer);
        return product;
    }

    public static string DefaultJsonPath(CommonSettings common, ProductLayout product, string scenario, DateTimeOffset startedAt) =>
        common.JsonPath ?? Path.Combine(product.Root, "bench", "results",
            $"{scenario}-{startedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.json");

    /// <summary>The scenario's runs (--repeat of them), each on fresh processes killed afterwards.</summary>
    public static async Task<BenchReport> CollectAsync(Scenario scenario, CommonSettings common, ProductLayout product, CancellationToken cancellationToken)
    {
        var startedAt = TimeProvider.System.GetUtcNow();
        var report = new BenchReport(scenario.Name, product.Commit(), startedAt, scenario.Settings);
        for (var run = 1; run <= common.Repeat; run++)
        {
            Console.WriteLine($"[{scenario.Name}] run {run} of {common.Repeat}: starting the product…");
            using var directory = BenchDirectory.Create(scenario.Name);
            directory.Keep = common.KeepTemp;
            Deployment? deployment = null;
            try
            {
                deployment = await scenario.Deploy(product, directory, cancellationToken);
                Console.WriteLine($"[{scenario.Name}] run {run}: ready; measuring…");
                report.Runs.Add(await scenario.Measure(deployment, cancellationToken));
                Console.WriteLine($"[{scenario.Name}] run {run}: {Summary(report.Runs[^1])}");
            }
            catch (Exception ex)
            {
                directory.Keep = true;
                var what = ex switch
                {
                    OperationCanceledException => "cancelled",
                    BenchException => $"failed: {ex.Message}",
                    _ => $"failed unexpectedly: {ex}",
                };
                await Console.Error.WriteLineAsync($"[{scenario.Name}] run {run} {what}");
                await Console.Error.WriteLineAsync($"Process output is kept in {directory.Path}{(deployment is null ? string.Empty : Environment.NewLine + deployment.LogHints)}");
                throw;
            }
            finally
            {
                if (deployment is not null)
                {
                    await deployment.DisposeAsync();
                }
            }
        }

        return report;
    }

    private static string Summary(IReadOnlyList<Measurement.Metric> metrics) =>
        string.Join(", ", metrics
            .Where(m => m.Name is "jobs_per_s" or "wall_s" or "cpu_ms_per_job.total" or "submit_to_completed_ms.p50" or "submit_to_completed_ms.p99"
                or "cpu_pct.total" or "kib_per_bot.total" or "requests_per_bot_per_min.total" or "reports_per_s" or "rss_slope_mib_per_10min" or "pending_max")
            .Select(m => $"{m.Name} {m.Value?.ToString(CultureInfo.InvariantCulture) ?? "-"}"));
}

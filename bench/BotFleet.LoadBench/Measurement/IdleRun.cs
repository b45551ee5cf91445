using System.Diagnostics;
using System.Globalization;
using BotFleet.LoadBench.Hosting;

namespace BotFleet.LoadBench.Measurement;

/// <summary>
/// An idle fleet: waits until every bot is registered (GET /v1/stats bots.registered), lets it settle, and measures
/// CPU, RSS and job API requests per bot over a window with an empty queue. RSS per bot is against the 0-bot
/// baseline of the same setup, measured the same way before.
/// </summary>
internal static class IdleRun
{
    /// <summary>The issue's targets: all processes together under 5 % of one core, 20 KiB per idle bot, 2 requests per bot per minute.</summary>
    public const double TargetCpuPercent = 5;
    public const double TargetKibPerBot = 20;
    public const double TargetRequestsPerBotPerMinute = 2;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    /// <summary>Waits for the fleet and settles, then measures one window.</summary>
    public static async Task<(IdleFigures Figures, double RegisterSeconds)> ObserveAsync(Deployment deployment, IdleSettings settings, string label, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastProgress = TimeSpan.Zero;
        while (true)
        {
            deployment.ThrowIfAnyExited();
            var registered = (await deployment.Api.GetStatsAsync(cancellationToken)).Bots?.Registered ?? 0;
            var bots = label == "baseline" ? 0 : settings.Bots;
            if (registered >= bots)
            {
                break;
            }

            if (clock.Elapsed > settings.RegisterTimeout)
            {
                throw new BenchException($"Only {registered:N0} of {bots:N0} bots registered within {settings.RegisterTimeout.TotalSeconds:0} s.");
            }

            if (clock.Elapsed - lastProgress >= ProgressInterval)
            {
                lastProgress = clock.Elapsed;
                Console.WriteLine($"[idle] {label}: {registered:N0} of {bots:N0} bots registered after {clock.Elapsed.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        var registerSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"[idle] {label}: all registered after {registerSeconds:0.0} s; settling {settings.Settle.TotalSeconds:0} s, then measuring {settings.Window.TotalSeconds:0} s");
        await Task.Delay(settings.Settle, cancellationToken);
        deployment.ThrowIfAnyExited();
        return (await IdleFigures.MeasureAsync(deployment, settings.Window, cancellationToken), registerSeconds);
    }

    public static IReadOnlyList<Metric> Report(IdleSettings settings, IdleFigures figures, double registerSeconds, IdleFigures? baseline)
    {
        var bots = settings.Bots;
        var minutes = figures.Seconds / 60;
        var metrics = new List<Metric>
        {
            new("bots", bots, ""),
            new("register_s", Math.Round(registerSeconds, 1), "s"),
            new("window_s", Math.Round(figures.Seconds, 1), "s"),
        };
        foreach (var cost in figures.Costs)
        {
            metrics.Add(new($"cpu_pct.{cost.Name}", Percent(cost.CpuSeconds, figures.Seconds), "% core"));
        }

        var cpuTotal = Percent(figures.Costs.Sum(c => c.CpuSeconds), figures.Seconds);
        metrics.Add(new("cpu_pct.total", cpuTotal, "% core"));
        metrics.Add(new("cpu_pct.harness", Percent(figures.HarnessCpuSeconds, figures.Seconds), "% core"));
        foreach (var (name, rss) in figures.MeanRssBytes)
        {
            metrics.Add(new($"rss_mb.{name}", Math.Round(rss / 1048576.0, 1), "MiB"));
        }

        if (baseline is not null)
        {
            foreach (var (name, rss) in baseline.MeanRssBytes)
            {
                metrics.Add(new($"rss_mb.{name}.baseline", Math.Round(rss / 1048576.0, 1), "MiB"));
            }

            metrics.Add(new("cpu_pct.total.baseline", Percent(baseline.Costs.Sum(c => c.CpuSeconds), baseline.Seconds), "% core"));
        }

        double? kibPerBot = null;
        if (baseline is not null && bots > 0)
        {
            foreach (var (name, rss) in figures.MeanRssBytes)
            {
                if (baseline.MeanRssBytes.TryGetValue(name, out var before))
                {
                    metrics.Add(new($"kib_per_bot.{name}", Math.Round((rss - before) / 1024 / bots, 2), "KiB"));
                }
            }

            kibPerBot = Math.Round((figures.MeanRssBytes.Values.Sum() - baseline.MeanRssBytes.Values.Sum()) / 1024 / bots, 2);
            metrics.Add(new("kib_per_bot.total", kibPerBot, "KiB"));
        }

        double? perBotPerMinute = null;
        if (figures.Requests is { } requests)
        {
            foreach (var (kind, count) in requests)
            {
                metrics.Add(new($"requests_per_bot_per_min.{kind.ToString().ToLowerInvariant()}", PerBotPerMinute(count, bots, minutes), "req"));
            }

            var total = requests.Values.Sum();
            perBotPerMinute = PerBotPerMinute(total, bots, minutes);
            metrics.Add(new("requests_per_bot_per_min.total", perBotPerMinute, "req"));
            metrics.Add(new("requests_per_s.total", Math.Round(total / figures.Seconds, 1), "req/s"));
        }

        Console.WriteLine(
            $"[idle] {bots:N0} bots: CPU {Format(cpuTotal)} % of a core (target < {TargetCpuPercent} %: {Verdict(cpuTotal < TargetCpuPercent)}), " +
            $"{Format(kibPerBot)} KiB per bot (target < {TargetKibPerBot}: {Verdict(kibPerBot < TargetKibPerBot)}), " +
            $"{Format(perBotPerMinute)} requests per bot per minute (target <= {TargetRequestsPerBotPerMinute}: {Verdict(perBotPerMinute <= TargetRequestsPerBotPerMinute)})");
        return metrics;
    }

    private static double Percent(double cpuSeconds, double seconds) => Math.Round(cpuSeconds / seconds * 100, 2);

    private static double? PerBotPerMinute(long count, int bots, double minutes) => bots == 0 ? null : Math.Round(count / (double)bots / minutes, 3);

    private static string Format(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "-";

    private static string Verdict(bool? met) => met switch
    {
        true => "met",
        false => "NOT met",
        null => "not measured",
    };
}

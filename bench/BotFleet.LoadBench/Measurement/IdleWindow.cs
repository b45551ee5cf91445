using System.Diagnostics;
using BotFleet.LoadBench.Hosting;
using BotFleet.LoadBench.Proxy;

namespace BotFleet.LoadBench.Measurement;

/// <summary>
/// What an idle deployment costs over one window: CPU seconds per process (and of the harness, whose counting proxy
/// forwards the bots' requests), the mean RSS per process over samples every 5 s, and the requests the proxy saw.
/// </summary>
internal sealed record IdleFigures(
    double Seconds,
    IReadOnlyList<ProcessCost> Costs,
    IReadOnlyDictionary<string, double> MeanRssBytes,
    double HarnessCpuSeconds,
    IReadOnlyDictionary<RequestKind, long>? Requests)
{
    private static readonly TimeSpan RssInterval = TimeSpan.FromSeconds(5);

    public static async Task<IdleFigures> MeasureAsync(Deployment deployment, TimeSpan window, CancellationToken cancellationToken)
    {
        var rss = deployment.Measured.ToDictionary(p => p.Name, _ => new List<long>());
        var requestsBefore = deployment.Proxy?.Counts();
        deployment.Measured.ForEach(p => p.Start());
        var harnessBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            foreach (var process in deployment.Measured)
            {
                rss[process.Name].Add(ProcessCpu.ReadRssBytes(process.Pid));
                process.Sample();
            }

            var left = window - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            await Task.Delay(left < RssInterval ? left : RssInterval, cancellationToken);
            deployment.ThrowIfAnyExited();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var costs = deployment.Measured.Select(p => p.Stop()).ToList();
        var harness = (Process.GetCurrentProcess().TotalProcessorTime - harnessBefore).TotalSeconds;
        var requests = requestsBefore is null
            ? null
            : deployment.Proxy!.Counts().ToDictionary(c => c.Key, c => c.Value - requestsBefore[c.Key]);
        return new IdleFigures(seconds, costs, rss.ToDictionary(r => r.Key, r => r.Value.Average()), harness, requests);
    }
}

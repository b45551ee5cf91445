using BotFleet.LoadBench.Hosting;
using BotFleet.LoadBench.Measurement;

namespace BotFleet.LoadBench.Scenarios;

/// <summary>
/// One scenario as the runner sees it: how to start the product for a run (fresh processes and folders each time),
/// what to measure against it, and the settings to print and record.
/// </summary>
internal sealed record Scenario(
    string Name,
    IReadOnlyDictionary<string, string> Settings,
    bool NeedsJobServer,
    Func<ProductLayout, BenchDirectory, CancellationToken, Task<Deployment>> Deploy,
    Func<Deployment, CancellationToken, Task<IReadOnlyList<Metric>>> Measure);

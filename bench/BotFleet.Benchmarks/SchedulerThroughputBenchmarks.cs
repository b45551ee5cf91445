using BenchmarkDotNet.Attributes;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Jobs;
using BotFleet.Scheduling.Execution;
using BotFleet.Scheduling.Registry;
using BotFleet.Scheduling.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotFleet.Benchmarks;

/// <summary>
/// The bot's own cost per job — claim parsing, slot accounting, the registry and a built-in handler,
/// the report — with the server in memory. Run: dotnet run -c Release --project bench/BotFleet.Benchmarks.
/// </summary>
[MemoryDiagnoser]
public class SchedulerThroughputBenchmarks : ISchedulerStateStore, IJobDispatcher
{
    private ServiceProvider _services = null!;
    private JobExecutor _executor = null!;

    [Params(1_000, 100_000)]
    public int Jobs { get; set; }

    [Params(10, 100)]
    public int MaxConcurrency { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddBuiltInJobHandlers();
        _services = services.BuildServiceProvider();
        _executor = _services.GetRequiredService<JobExecutor>();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    /// <summary>All jobs through one bot, ticking as fast as slots free up.</summary>
    [Benchmark]
    public async Task<long> RunAllJobsThroughOneBot()
    {
        var api = new InMemoryJobApi();
        api.Fill(Jobs);
        var scheduler = new BotScheduler(
            "bench",
            new BotDefinition { Operations = ["sum"], MaxConcurrency = MaxConcurrency, ClaimBatchSize = 100 },
            new SchedulerSnapshot([], []),
            api,
            this,
            this,
            TimeProvider.System,
            NullLogger.Instance);
        while (!api.IsEmpty)
        {
            await scheduler.TickAsync();
        }

        await scheduler.DrainAsync(TimeSpan.FromMinutes(5));
        return api.Reports == Jobs ? api.Reports : throw new InvalidOperationException($"{api.Reports} reports for {Jobs} jobs");
    }

    Task ISchedulerStateStore.SaveAsync(SchedulerSnapshot snapshot) => Task.CompletedTask;

    Task<JobOutcome> IJobDispatcher.DispatchAsync(JobWork work) => _executor.RunAsync(work);
}

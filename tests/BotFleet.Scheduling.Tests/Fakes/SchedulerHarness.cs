using System.Collections.Immutable;
using BotFleet.Contracts.Bots;
using BotFleet.Scheduling.Execution;
using BotFleet.Scheduling.Outbox;
using BotFleet.Scheduling.Registry;
using BotFleet.Scheduling.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>A <see cref="BotScheduler"/> wired to the fake job API, the real registry and executor, and a fake clock.</summary>
public sealed class SchedulerHarness : IAsyncDisposable
{
    public static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(5);

    private readonly ServiceProvider _services;

    private int _wakeUps;

    /// <param name="relay">The silo's idle line, shared by the harnesses of one test; wake-ups are counted in <see cref="WakeUps"/>.</param>
    /// <param name="api">A job API shared with other harnesses (several bots claiming from one queue); a new one by default.</param>
    public SchedulerHarness(
        int maxConcurrency = 4,
        int claimBatchSize = 10,
        string[]? operations = null,
        SchedulerSnapshot? durable = null,
        SchedulerOptions? options = null,
        string botKey = "bot-key-1",
        IdleClaimRelay? relay = null,
        FakeJobApi? api = null,
        SchedulerMetrics? metrics = null)
    {
        Api = api ?? new FakeJobApi();
        Definition = new BotDefinition
        {
            Operations = [.. operations ?? ["sum", "divide", "echo", "probe", "boom", "hang"]],
            MaxConcurrency = maxConcurrency,
            ClaimBatchSize = claimBatchSize,
        };
        var services = HandlerServices.Create(Time);
        services.AddSingleton(Probe);
        services.AddJobHandler<ProbeHandler>("probe");
        services.AddJobHandler<ProgressHandler>("progress");
        services.AddJobHandler<ThrowingHandler>("boom");
        services.AddJobHandler<HangingHandler>("hang", HangTimeout);
        _services = services.BuildServiceProvider();
        Dispatcher = new ExecutorDispatcher(_services.GetRequiredService<JobExecutor>());
        Scheduler = new BotScheduler(
            botKey, Definition, durable ?? new SchedulerSnapshot([], []), Api, Dispatcher, Store, Time, Logger, options,
            relay, relay is null ? null : () => Interlocked.Increment(ref _wakeUps), metrics: metrics,
            board: _services.GetRequiredService<RunningJobBoard>());
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    public FakeJobApi Api { get; }

    /// <summary>What the bot logged, record by record.</summary>
    public FakeLogger Logger { get; } = new();

    public InMemorySchedulerStateStore Store { get; } = new();

    public ConcurrencyProbe Probe { get; } = new();

    public ExecutorDispatcher Dispatcher { get; }

    public BotDefinition Definition { get; }

    public BotScheduler Scheduler { get; }

    /// <summary>How often the idle line handed this bot its turn.</summary>
    public int WakeUps => Volatile.Read(ref _wakeUps);

    public ImmutableArray<string> Operations => Definition.Operations;

    /// <summary>Ticks, then waits until every job it started has run and reported (or been kept).</summary>
    public async Task<TickResult> TickAndDrainAsync()
    {
        var result = await Scheduler.TickAsync(TestContext.Current.CancellationToken);
        await DrainAsync();
        return result;
    }

    public async Task DrainAsync()
    {
        // The scheduler's own bound is on the fake clock, which stands still here: the real-time bound turns a job
        // that never ends into a failure that names it, not a test run that hangs.
        var drained = await Scheduler.DrainAsync(TimeSpan.FromSeconds(30)).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(drained, "jobs still running after drain");
    }

    /// <summary>Ticks until the fake queue is empty and nothing runs, bounded so a bug cannot loop forever.</summary>
    public async Task RunUntilQueueEmptyAsync(int maxTicks = 10_000)
    {
        for (var i = 0; i < maxTicks; i++)
        {
            await Scheduler.TickAsync(TestContext.Current.CancellationToken);
            if (Api.QueuedJobs == 0)
            {
                await DrainAsync();
                return;
            }

            await Eventually.TrueAsync(() => Scheduler.FreeSlots > 0, "a free slot");
        }

        Assert.Fail($"queue not empty after {maxTicks} ticks");
    }

    public async ValueTask DisposeAsync()
    {
        Probe.HoldJobs = false;
        Probe.ReleaseAll();
        await Scheduler.DrainAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(30));
        await _services.DisposeAsync();
    }
}

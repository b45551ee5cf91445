using System.Diagnostics.CodeAnalysis;
using BotFleet.Contracts.Bots;
using BotFleet.JobApi.Client;
using BotFleet.Scheduling.Execution;
using BotFleet.Scheduling.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// One bot as a grain. A durable reminder brings it back after a silo restart; a one-shot
/// grain timer, re-armed after each tick with the back-off's delay, drives the ticks. Ticks
/// interleave with grain calls, since a long-poll claim may wait at the server for up to
/// <see cref="SchedulerOptions.ClaimWait"/>; two ticks never overlap (a guard here and in
/// <see cref="BotScheduler"/>), and job completions interleave as continuations on this activation.
/// </summary>
/// <remarks>
/// Placed on a random silo, so a fleet's bots spread over the cluster from the first one started. The default
/// (resource-optimised) and activation-count placement both rely on load statistics that a young cluster does not have
/// yet, and then put every bot the roster started on the roster's own silo (seen in about one run in three).
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim owns no handle unless AvailableWaitHandle is read; a CancellationTokenSource without a timer none at all.")]
[Orleans.Placement.RandomPlacement]
public sealed partial class SchedulerGrain(
    [PersistentState("scheduler", StorageNames.BotFleet)] IPersistentState<SchedulerGrainState> state,
    IJobApiClient api,
    IOptions<SchedulerOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    IdleClaimRelay relay,
    OutageLine outages,
    HeartbeatClock heartbeatClock,
    HeartbeatCoalescer heartbeats,
    SchedulerMetrics metrics,
    RunningJobBoard board,
    ILogger<SchedulerGrain> logger) : Grain, ISchedulerGrain, ISchedulerWakeUp, IRemindable, ISchedulerStateStore
{
    /// <summary>The reminder that re-activates the bot after a restart; it does nothing else.</summary>
    public const string KeepAliveReminder = "keep-alive";

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SchedulerOptions _options = options.Value;
    private BotScheduler? _scheduler;
    private TickBackoff? _backoff;
    private IGrainTimer? _timer;
    private CancellationTokenSource _ticks = new();
    private IDisposable? _heartbeat;
    private TimeSpan _heartbeatInterval;
    private bool _heartbeating;
    private TickOutcome _lastOutcome;
    private bool _ticking;
    private DateTimeOffset? _nextTickAt;
    // A bot waiting in the idle line keeps no tick timer of its own: its heartbeats look whether _nextTickAt has come.
    private bool _tickParked;

    private string BotKey => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State is { Running: true, Definition: { } definition })
        {
            LogResumed(BotKey, state.State.Outbox.Count, state.State.RunningJobs.Count);
            StartScheduler(definition);
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // As the runtime stops grain timers before this call: no heartbeat may reach, and so revive, a leaving activation.
        _heartbeat?.Dispose();
        _heartbeat = null;
        outages.Leave(BotKey);
        _timer?.Dispose();
        // A claim held by the server (long poll) must not hold up the deactivation.
        await _ticks.CancelAsync();
        if (_scheduler is { } scheduler)
        {
            scheduler.Stop();
            // Jobs still running keep their slot; what they report lands in the durable outbox.
            if (!await scheduler.DrainAsync(_options.DrainTimeout))
            {
                LogDrainTimedOut(BotKey, scheduler.InFlight);
            }

            // The outbox stays in grain state; the next activation counts it again.
            metrics.Forget(scheduler);
        }
    }

    async Task ISchedulerGrain.StartAsync(BotDefinition definition)
    {
        var errors = definition.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Bot {BotKey} cannot start: {string.Join("; ", errors)}", nameof(definition));
        }

        await WriteAsync(s =>
        {
            s.Definition = definition;
            s.Running = true;
        });
        await EnsureReminderAsync();
        if (_ticks.IsCancellationRequested)
        {
            _ticks.Dispose();
            _ticks = new CancellationTokenSource();
        }

        if (_scheduler is null)
        {
            StartScheduler(definition);
        }
        else
        {
            _scheduler.Reconfigure(definition);
            ArmTimer(TimeSpan.Zero);
        }
    }

    async Task ISchedulerGrain.StopAsync()
    {
        await WriteAsync(s => s.Running = false);
        if (await this.GetReminder(KeepAliveReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _timer?.Dispose();
        _timer = null;
        outages.Leave(BotKey);
        await _ticks.CancelAsync();
        _nextTickAt = null;
        _tickParked = false;
        // Heartbeats go on while stopped jobs drain, so their leases hold until they report.
        _scheduler?.Stop();
    }

    Task<BotStatus> ISchedulerGrain.GetStatusAsync()
    {
        var status = _scheduler?.GetStatus() ?? new BotStatus
        {
            BotKey = BotKey,
            State = BotState.Stopped,
            OutboxSize = state.State.Outbox.Count,
            JobsCompleted = state.State.Counters.JobsCompleted,
            JobsFailed = state.State.Counters.JobsFailed,
            JobsReleased = state.State.Counters.JobsReleased,
            ReportsDropped = state.State.Counters.ReportsDropped,
            Operations = state.State.Definition?.Operations ?? [],
            MaxConcurrency = state.State.Definition?.MaxConcurrency ?? 0,
        };
        return Task.FromResult(status with { NextTickAt = _nextTickAt, Silo = RuntimeIdentity });
    }

    Task ISchedulerGrain.WakeNowAsync()
    {
        // The same paths the silo's own parts use (the idle line, the heartbeat clock), so an operator's nudge
        // cannot start a second tick or heartbeat beside a running one.
        if (state.State.Running && _scheduler is { } scheduler)
        {
            // A bot whose first tick still waits in a long-poll claim has registered but not armed its heartbeat yet.
            ArmHeartbeat(scheduler.Session?.HeartbeatInterval);
            Later(self => self.WakeUpAsync())();
            Later(self => self.HeartbeatAsync())();
        }

        return Task.CompletedTask;
    }

    async Task ISchedulerGrain.MoveToAsync(SiloAddress silo)
    {
        // RuntimeIdentity is this silo's address as text, as in BotStatus.Silo.
        if (silo.ToString() == RuntimeIdentity)
        {
            return;
        }

        // Placement takes the hint from the request context the migration carries.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        this.MigrateOnIdle();
        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        if (_scheduler is { WaitingAtServer: true })
        {
            // The activation moves once idle, and a claim waiting at the server for work would keep it busy (and every
            // call to the bot waiting) for up to the claim wait; deactivation ends that claim anyway.
            await _ticks.CancelAsync();
        }
    }

    Task ISchedulerWakeUp.WakeUpAsync()
    {
        // Its turn in the silo's idle line, or the job server is back after an outage: tick now (a running tick re-arms when it ends anyway).
        if (state.State.Running && _scheduler is not null && !_ticking)
        {
            ArmTimer(TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != KeepAliveReminder)
        {
            return Task.CompletedTask;
        }

        // Activation already resumed the bot; the reminder only has to exist to bring it back.
        if (!state.State.Running)
        {
            return UnregisterAsync();
        }

        // A reminder registered under another period (an earlier default) takes the configured one.
        return status.Period == _options.KeepAlivePeriod
            ? Task.CompletedTask
            : (Task)this.RegisterOrUpdateReminder(KeepAliveReminder, _options.KeepAlivePeriod, _options.KeepAlivePeriod);

        async Task UnregisterAsync()
        {
            if (await this.GetReminder(KeepAliveReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
    }

    Task ISchedulerStateStore.SaveAsync(SchedulerSnapshot snapshot) => WriteAsync(s =>
    {
        s.Outbox = [.. snapshot.Pending];
        s.Quarantine = [.. snapshot.Quarantined];
        s.RunningJobs = [.. snapshot.Running ?? []];
        s.Counters = snapshot.Counters ?? s.Counters;
    });

    private void StartScheduler(BotDefinition definition)
    {
        var durable = new SchedulerSnapshot(state.State.Outbox, state.State.Quarantine, state.State.RunningJobs, state.State.Counters);
        _scheduler = new BotScheduler(
            BotKey, definition, durable, api, new WorkerGrainDispatcher(GrainFactory), this, time, logger, _options, relay, Later(self => self.WakeUpAsync()), heartbeats, metrics, board);
        _scheduler.CapacityAvailable += OnCapacityAvailable;
        metrics.Track(_scheduler);
        _backoff = new TickBackoff(_options);
        ArmTimer(TimeSpan.Zero);
    }

    // For the silo's parts to call from another bot's turn or a timer's thread: reach this activation through a one-way
    // grain call, never directly, with the reference taken here, since the grain's own properties may only be read on its turn.
    private Action Later(Func<ISchedulerWakeUp, Task> call)
    {
        var self = this.AsReference<ISchedulerWakeUp>();
        return () => _ = call(self);
    }

    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        // Ticks interleave with grain calls (a long-poll claim must not hold up status, stop or deactivation),
        // so a timer firing while a tick still runs leaves it to that tick, which re-arms when it ends.
        if (_scheduler is not { } scheduler || _ticking)
        {
            return;
        }

        TickResult result;
        _ticking = true;
        try
        {
            // The silo stopping ends a held claim at once: deactivation waits for this callback, and so would the shutdown.
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _ticks.Token, lifetime.ApplicationStopping);
            result = await scheduler.TickAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || _ticks.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // The bot or its silo is stopping while a claim waited: nothing to re-arm.
            return;
        }
        catch (Exception ex)
        {
            // The scheduler turns API faults into outcomes; anything else must not stop the bot either.
            LogTickCrashed(BotKey, ex);
            result = new TickResult(TickOutcome.ClaimFailed);
        }
        finally
        {
            _ticking = false;
        }

        _lastOutcome = result.Outcome;
        NoteServerReach(result);
        ArmHeartbeat(scheduler.Session?.HeartbeatInterval);
        // A bot stopped while this tick ran (ticks interleave with StopAsync) must not be re-armed.
        if (state.State.Running)
        {
            var delay = _backoff!.Next(result);
            if (result.Outcome == TickOutcome.WaitingInLine && _heartbeat is not null && delay > _heartbeatInterval)
            {
                // Every .NET timer is scanned by the runtime's timer queue, so 10,000 bots in line would cost the silo
                // 10,000 timers that almost never fire; the wake-up or a heartbeat past the recheck time ticks it.
                ParkTimer(delay);
            }
            else
            {
                ArmTimer(result.Outcome switch
                {
                    TickOutcome.ClaimedFullBatch or TickOutcome.Busy => Min(delay, RefillDelay(scheduler)),
                    // The queue ran dry: where the server holds claims, wait there for the next job rather than here.
                    TickOutcome.Claimed when scheduler.Session is { ClaimWait.Ticks: > 0 } => TimeSpan.Zero,
                    _ => delay,
                });
            }
        }
    }

    // A bot the server did not answer waits in the silo's outage line as well as out its back-off; one that got an
    // answer wakes the next ones waiting there (a wake-up ticks a bot now, so it comes before its back-off ends).
    private void NoteServerReach(TickResult result)
    {
        if (result.ServerUnreachable)
        {
            outages.Join(BotKey, Later(self => self.WakeUpAsync()));
        }
        else if (result.ReachedServer)
        {
            outages.ServerAnswered(BotKey);
        }
        else if (result.RetryAfter is not null)
        {
            // The server named its time; an outage wake-up must not bring the bot sooner.
            outages.Leave(BotKey);
        }
    }

    // The silo's heartbeat clock beats the bot by a one-way call to itself (one timer for all bots, not one each).
    private void ArmHeartbeat(TimeSpan? interval)
    {
        if (interval is not { } period || period == _heartbeatInterval)
        {
            return;
        }

        _heartbeatInterval = period;
        _heartbeat?.Dispose();
        _heartbeat = heartbeatClock.Start(period, Later(self => self.HeartbeatAsync()));
    }

    // Heartbeats interleave with ticks: a slow claim must not hold back the lease extension of running jobs.
    async Task ISchedulerWakeUp.HeartbeatAsync()
    {
        // A beat that comes while the last heartbeat still waits for the server is skipped, as a grain timer would skip it.
        if (_heartbeat is null || _heartbeating)
        {
            return;
        }

        _heartbeating = true;
        try
        {
            // Not the ticks' token: heartbeats go on after a stop, while stopped jobs drain.
            await OnHeartbeatAsync(lifetime.ApplicationStopping);
        }
        finally
        {
            _heartbeating = false;
        }
    }

    private async Task OnHeartbeatAsync(CancellationToken cancellationToken)
    {
        var outcome = _scheduler is { } scheduler ? await scheduler.HeartbeatAsync(cancellationToken) : HeartbeatOutcome.NotRegistered;
        if (outcome == HeartbeatOutcome.AssignmentChanged)
        {
            _backoff = new TickBackoff(_options);
        }

        // Heartbeats go on while a bot backs off, so they are the first to notice the server is back.
        if (outcome is HeartbeatOutcome.Delivered or HeartbeatOutcome.AssignmentChanged)
        {
            outages.ServerAnswered(BotKey);
        }

        if (_tickParked && time.GetUtcNow() >= _nextTickAt && state.State.Running && !_ticking)
        {
            ArmTimer(TimeSpan.Zero);
        }
    }

    // Free capacity after a full claim means work is probably waiting: claim again soon rather than at the next interval.
    private void OnCapacityAvailable()
    {
        if (_ticking || _scheduler is not { } scheduler || _lastOutcome is not (TickOutcome.ClaimedFullBatch or TickOutcome.Busy))
        {
            // A running tick picks the refill delay itself when it ends.
            return;
        }

        var due = RefillDelay(scheduler);
        if (_nextTickAt is not { } next || time.GetUtcNow() + due < next)
        {
            ArmTimer(due);
        }
    }

    /// <summary>
    /// When to claim again while work is waiting: at once when a useful share of the slots is free (half a
    /// batch, or all of them), after <see cref="SchedulerOptions.RefillDelay"/> for a few, never while none is.
    /// One claim round trip then fetches many jobs instead of one per freed slot.
    /// </summary>
    private TimeSpan RefillDelay(BotScheduler scheduler)
    {
        var free = scheduler.FreeSlots;
        if (free == 0)
        {
            return _options.TickInterval;
        }

        var useful = Math.Max(1, Math.Min(scheduler.ClaimBatchSize, free + scheduler.InFlight) / 2);
        return free >= useful || scheduler.InFlight == 0 ? TimeSpan.Zero : _options.RefillDelay;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void ArmTimer(TimeSpan dueTime)
    {
        _tickParked = false;
        _nextTickAt = time.GetUtcNow() + dueTime;
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(
                OnTickAsync,
                new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        }
        else
        {
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops the tick timer (a disabled timer leaves the runtime's queue) until the wake-up, or the first heartbeat after <paramref name="dueTime"/>.</summary>
    private void ParkTimer(TimeSpan dueTime)
    {
        _nextTickAt = time.GetUtcNow() + dueTime;
        _tickParked = true;
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    // Registering on every activation would reset the reminder's schedule; register only when missing.
    private async Task EnsureReminderAsync()
    {
        if (await this.GetReminder(KeepAliveReminder) is null)
        {
            await this.RegisterOrUpdateReminder(KeepAliveReminder, _options.KeepAlivePeriod, _options.KeepAlivePeriod);
        }
    }

    // Job completions interleave with requests, so state writes are serialised to keep the etag consistent.
    private async Task WriteAsync(Action<SchedulerGrainState> change)
    {
        await _writeLock.WaitAsync();
        try
        {
            change(state.State);
            await state.WriteStateAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }
}

using System.Text.Json;
using System.Collections.Immutable;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Jobs;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Execution;
using BotFleet.Scheduling.Outbox;
using BotFleet.Scheduling.Tracing;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Messaging;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// The scheduling logic of one bot, free of Orleans so it can be tested with a fake job API.
/// A tick flushes the outbox (fail-fast, order kept), claims up to the free slots, and starts
/// each job without waiting for the others. Every job holds one slot (<see cref="SlotPool"/>) from
/// dispatch until its report is settled by the <see cref="ReportPipeline"/>, which coalesces
/// live reports into batches; the durable state (<see cref="BotDurableState"/>) is saved once per
/// claimed batch and once per settled report batch, never per job.
/// </summary>
/// <remarks>
/// Job completions run concurrently with ticks (in the silo they interleave on the grain's
/// scheduler; in tests they run on the thread pool), so shared state is guarded by one lock.
/// </remarks>
public sealed partial class BotScheduler
{
    /// <summary>Times a worker call that could not be sent is sent again (after 0.25, 0.5, 1, 2, 4 s: longer than a dead silo takes to be known dead).</summary>
    internal const int MaxWorkerCallResends = 5;

    private readonly HashSet<Task> _work = [];
    private readonly BotDurableState _state;
    private readonly SlotPool _slots;
    private readonly ReportPipeline _reports;
    private readonly string _botKey;
    private readonly IJobApiClient _api;
    private readonly IJobDispatcher _dispatcher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _botVersion;
    private readonly int _outboxHighWaterMark;
    private readonly TimeSpan _claimWait;
    private readonly int _maxPayloadBytes;
    private readonly long _jobsReleased;
    private readonly IdleClaimRelay? _relay;
    private readonly HeartbeatCoalescer? _heartbeats;
    private readonly RunningJobBoard? _board;
    private readonly Action _wakeUp;

    private BotDefinition _definition;
    private volatile BotSession? _session;
    private int _tickRunning;
    private bool _stopped;
    private bool _degraded;
    private string? _lastError;
    private DateTimeOffset? _lastTickAt;
    private DateTimeOffset? _lastHeartbeatAt;
    private long _jobsCompleted;
    private long _jobsFailed;
    private long _malformedJobsSkipped;
    private string? _line;
    private bool _lastClaimFull;
    private bool _waitingAtServer;
    private string? _claimId;
    private readonly SchedulerMetrics? _metrics;

    public BotScheduler(
        string botKey,
        BotDefinition definition,
        SchedulerSnapshot durable,
        IJobApiClient api,
        IJobDispatcher dispatcher,
        ISchedulerStateStore store,
        TimeProvider time,
        ILogger logger,
        SchedulerOptions? options = null,
        IdleClaimRelay? relay = null,
        Action? wakeUp = null,
        HeartbeatCoalescer? heartbeats = null,
        SchedulerMetrics? metrics = null,
        RunningJobBoard? board = null)
    {
        var errors = definition.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Bot {botKey} has an invalid definition: {string.Join("; ", errors)}", nameof(definition));
        }

        _botKey = botKey;
        _definition = definition;
        _api = api;
        _dispatcher = dispatcher;
        _board = board;
        _time = time;
        _logger = logger;
        options ??= new SchedulerOptions();
        _botVersion = options.BotVersion;
        _outboxHighWaterMark = options.OutboxHighWaterMark;
        _claimWait = options.ClaimWait;
        _maxPayloadBytes = options.MaxPayloadBytes;
        if (relay is not null && wakeUp is null)
        {
            throw new ArgumentException("A bot that queues for the idle claim needs a wake-up for its turn.", nameof(wakeUp));
        }

        _relay = relay;
        _heartbeats = heartbeats;
        _metrics = metrics;
        _wakeUp = wakeUp ?? (() => { });
        InstanceId = Guid.NewGuid().ToString();
        // The counters are read only when the state is saved, by which time everything they read exists.
        _state = new BotDurableState(durable, store, ReadCounters);
        _slots = new SlotPool(_state);
        _reports = new ReportPipeline(botKey, _state, api, time, logger, options.PoisonReportThreshold, () => _session, OnTransientFailure, OnReportsSettledAsync, metrics);
        var counters = _state.CountersAtStart;
        (_jobsCompleted, _jobsFailed, _jobsReleased, _malformedJobsSkipped) = (counters.JobsCompleted, counters.JobsFailed, counters.JobsReleased, counters.MalformedJobsSkipped);

        // Jobs still recorded as running died with the previous activation: report them lost now,
        // so the server re-queues them in seconds instead of waiting for their leases to expire.
        foreach (var lost in _state.RunningAtStart)
        {
            _state.Outbox.Add(JobReport.Fail(lost.JobId, lost.InstanceId, WorkerLostError));
            _jobsReleased++;
        }

        if (_state.RunningAtStart.Count > 0)
        {
            _state.MarkDirty();
        }
    }

    /// <summary>Most kept reports sent in one POST /v1/jobs/reports (the server takes up to 1,000).</summary>
    public const int MaxReportsPerBatch = ReportPipeline.MaxReportsPerBatch;

    /// <summary>The error reported for a job that was running when its bot's silo died.</summary>
    public const string WorkerLostError = "worker lost: the bot's silo stopped while the job was running";

    /// <summary>Raised (outside any lock) when slots came free: a report batch settled, or the limit rose.</summary>
    public event Action? CapacityAvailable;

    /// <summary>This activation's instance id: new per process start, sent with every report.</summary>
    public string InstanceId { get; }

    /// <summary>True while a tick's claim waits at the server for work (a long poll), which may last the session's claim wait.</summary>
    public bool WaitingAtServer => Volatile.Read(ref _waitingAtServer);

    public BotSession? Session => _session;

    public int InFlight => _slots.InFlight;

    /// <summary>The most jobs that ever held a slot at the same time.</summary>
    public int PeakInFlight => _slots.Peak;

    /// <summary>Slots free under the bot's effective max_concurrency (its definition until it has registered).</summary>
    public int FreeSlots => _slots.Free(MaxConcurrency);

    /// <summary>The most jobs one claim asks for: the definition's batch size, narrowed by the server's once registered.</summary>
    public int ClaimBatchSize => _session?.ClaimBatchSize ?? _definition.ClaimBatchSize;

    public long MalformedJobsSkipped => Interlocked.Read(ref _malformedJobsSkipped);

    /// <summary>Jobs of an earlier activation reported lost when this one started.</summary>
    public long JobsReleased => _jobsReleased;

    /// <summary>The jobs running now, as they are recorded in durable state.</summary>
    public IReadOnlyList<RunningJobRecord> RunningJobs => _slots.Running;

    /// <summary>How many reports wait in the outbox (without copying them, as <see cref="PendingReports"/> does).</summary>
    public int OutboxCount
    {
        get
        {
            lock (_state.Gate)
            {
                return _state.Outbox.Count;
            }
        }
    }

    public IReadOnlyList<JobReport> PendingReports
    {
        get
        {
            lock (_state.Gate)
            {
                return [.. _state.Outbox];
            }
        }
    }

    public IReadOnlyList<QuarantinedReport> QuarantinedReports
    {
        get
        {
            lock (_state.Gate)
            {
                return [.. _state.Quarantine];
            }
        }
    }

    private int MaxConcurrency => _session?.MaxConcurrency ?? _definition.MaxConcurrency;

    /// <summary>Takes a new definition; the bot registers again so the server learns its new capabilities.</summary>
    public void Reconfigure(BotDefinition definition)
    {
        var errors = definition.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Bot {_botKey} has an invalid definition: {string.Join("; ", errors)}", nameof(definition));
        }

        lock (_state.Gate)
        {
            _definition = definition;
            _stopped = false;
            _session = null;
            _lastClaimFull = false;
        }

        LeaveLine();
    }

    /// <summary>Stops claiming. Running jobs still finish and report.</summary>
    public void Stop()
    {
        lock (_state.Gate)
        {
            _stopped = true;
            _lastClaimFull = false;
        }

        LeaveLine();
    }

    /// <summary>One scheduling round. Never throws for job API faults: they show in the result.</summary>
    public async Task<TickResult> TickAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _tickRunning, 1, 0) != 0)
        {
            return new(TickOutcome.AlreadyRunning);
        }

        var started = _time.GetTimestamp();
        try
        {
            var result = await TickOnceAsync(cancellationToken);
            _metrics?.Ticked(_time.GetElapsedTime(started), result.Outcome);
            return result;
        }
        finally
        {
            Volatile.Write(ref _tickRunning, 0);
        }
    }

    private async Task<TickResult> TickOnceAsync(CancellationToken cancellationToken)
    {
        _lastTickAt = _time.GetUtcNow();
        if (IsStopped())
        {
            return new(TickOutcome.Stopped);
        }

        var registration = await EnsureRegisteredAsync(cancellationToken);
        if (registration is not null)
        {
            return registration.Value;
        }

        // An outbox that is not durable blocks everything: taking more work could lose its results.
        if (!await PersistAsync())
        {
            return new(TickOutcome.OutboxBlocked);
        }

        var flush = await FlushOutboxAsync(cancellationToken);
        if (flush is not { } blocked)
        {
            return await ClaimAndDispatchAsync(cancellationToken);
        }

        // Undelivered reports wait in order; the bot keeps working until they reach the high-water
        // mark (past it, it could not report anyway), and backs off as for any failure meanwhile.
        if (_reports.OutboxCount >= _outboxHighWaterMark)
        {
            return blocked;
        }

        var claimed = await ClaimAndDispatchAsync(cancellationToken, reportsFailing: true);
        return blocked with
        {
            JobsStarted = claimed.JobsStarted,
            RetryAfter = blocked.RetryAfter ?? claimed.RetryAfter,
            ServerUnreachable = blocked.ServerUnreachable && !claimed.ReachedServer,
        };
    }

    /// <summary>Waits until every started job has finished and its report is settled, or the timeout passes.</summary>
    /// <returns>True when nothing is left running.</returns>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            Task[] running;
            lock (_state.Gate)
            {
                running = [.. _work];
            }

            var reports = _reports.WhenIdleAsync();
            if (running.Length == 0 && reports.IsCompleted && _slots.InFlight == 0)
            {
                return true;
            }

            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await Task.WhenAll([.. running, reports]).WaitAsync(left, _time);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }

    private BotCounters ReadCounters() => new()
    {
        JobsCompleted = Interlocked.Read(ref _jobsCompleted),
        JobsFailed = Interlocked.Read(ref _jobsFailed),
        JobsReleased = _jobsReleased,
        ReportsDropped = _reports.ReportsDropped,
        MalformedJobsSkipped = Interlocked.Read(ref _malformedJobsSkipped),
    };

    public BotStatus GetStatus()
    {
        var session = _session;
        lock (_state.Gate)
        {
            var inFlight = _slots.InFlight;
            return new BotStatus
            {
                BotKey = _botKey,
                State = (_stopped, inFlight, _degraded, session) switch
                {
                    (true, > 0, _, _) => BotState.Draining,
                    (true, _, _, _) => BotState.Stopped,
                    (_, _, true, _) => BotState.Degraded,
                    (_, _, _, null) => BotState.Registering,
                    (_, _, _, { Paused: true }) => BotState.Paused,
                    _ => BotState.Active,
                },
                BotId = session?.BotId,
                InstanceId = InstanceId,
                Operations = session?.Operations ?? _definition.Operations,
                MaxConcurrency = MaxConcurrency,
                InFlight = inFlight,
                PeakInFlight = _slots.Peak,
                OutboxSize = _state.Outbox.Count,
                JobsCompleted = Interlocked.Read(ref _jobsCompleted),
                JobsFailed = Interlocked.Read(ref _jobsFailed),
                ReportsDropped = _reports.ReportsDropped,
                LastError = _lastError,
                LastTickAt = _lastTickAt,
                LastHeartbeatAt = _lastHeartbeatAt,
                JobsReleased = _jobsReleased,
            };
        }
    }

    private bool IsStopped()
    {
        lock (_state.Gate)
        {
            return _stopped;
        }
    }

    private async Task<TickResult?> EnsureRegisteredAsync(CancellationToken cancellationToken)
    {
        if (_session is not null)
        {
            return null;
        }

        BotDefinition definition;
        lock (_state.Gate)
        {
            definition = _definition;
        }

        var request = new RegisterBotRequest(
            _botKey,
            InstanceId,
            _botVersion,
            definition.Operations,
            new BotResources(Environment.ProcessorCount, Math.Max(128, (int)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024)))),
            Constraints: System.Text.Json.JsonSerializer.SerializeToElement(new { max_concurrency = definition.MaxConcurrency }));
        try
        {
            var response = await _api.RegisterAsync(request, cancellationToken);
            var session = Narrow(definition, response);
            _session = session;
            MarkHealthy();
            LogRegistered(_botKey, session.BotId, InstanceId, session.MaxConcurrency, session.ClaimBatchSize);
            return null;
        }
        catch (Exception ex) when (!IsShutdown(ex, cancellationToken))
        {
            MarkDegraded(ex);
            LogRegistrationFailed(_botKey, ex.Message);
            LogFaultDetail(_botKey, "registration", ex);
            return TickResult.Failed(TickOutcome.RegistrationFailed, ex);
        }
    }

    // The server may narrow what the bot offers, never widen it.
    private BotSession Narrow(BotDefinition definition, RegisterBotResponse response)
    {
        var assigned = response.Assignment.Operations ?? [];
        var operations = definition.Operations.Where(assigned.Contains).ToImmutableArray();
        var maxConcurrency = Math.Clamp(response.Assignment.MaxConcurrency, 1, definition.MaxConcurrency);
        var config = response.Config ?? new BotConfig();
        var batch = config.ClaimBatchSize is > 0 and var serverBatch ? Math.Min(definition.ClaimBatchSize, serverBatch) : definition.ClaimBatchSize;
        var heartbeat = TimeSpan.FromSeconds(config.HeartbeatInterval is > 0 and var interval ? interval : BotConfigDefaults.HeartbeatIntervalSeconds);
        var claimWait = config.MaxClaimWaitMs is > 0 and var serverWait ? Min(_claimWait, TimeSpan.FromMilliseconds(serverWait)) : TimeSpan.Zero;
        var maxResult = config.MaxResultBytes is > 0 and var limit ? limit : BotConfigDefaults.MaxResultBytes;
        return new BotSession(response.BotId, response.Auth.AccessToken, operations, maxConcurrency, batch, response.Assignment.Paused || operations.IsEmpty, heartbeat, claimWait)
        {
            MaxResultBytes = maxResult,
        };
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// Tells the server the bot is alive and which jobs it still runs (extending their leases),
    /// and applies at once any assignment change the answer carries. Never throws for API faults.
    /// </summary>
    public async Task<HeartbeatOutcome> HeartbeatAsync(CancellationToken cancellationToken = default)
    {
        var session = _session;
        if (session is null)
        {
            return HeartbeatOutcome.NotRegistered;
        }

        var now = _time.GetUtcNow();
        RunningJob[] running;
        BotHealth health;
        lock (_state.Gate)
        {
            running = [.. _state.Running.Values.Select(r => new RunningJob(r.JobId, r.Op, (long)(now - r.StartedAt).TotalMilliseconds, r.LeaseUntil, _board?.ProgressOf(r.JobId)))];
            health = BotHealth.Of(_state.Outbox.Count, _lastError);
        }

        HeartbeatResponse response;
        try
        {
            var request = new HeartbeatRequest(InstanceId, running, Health: health);
            response = await (_heartbeats is null
                ? _api.HeartbeatAsync(session.BotId, request, session.AccessToken, cancellationToken)
                : _heartbeats.HeartbeatAsync(session.BotId, request, session.AccessToken, cancellationToken));
        }
        catch (Exception ex) when (!IsShutdown(ex, cancellationToken))
        {
            if (ex is JobApiException { StatusCode: HttpStatusCode.Unauthorized })
            {
                _session = null;
            }

            LogHeartbeatFailed(_botKey, ex.Message);
            LogFaultDetail(_botKey, "heartbeat", ex);
            return HeartbeatOutcome.Failed;
        }

        lock (_state.Gate)
        {
            _lastHeartbeatAt = now;
        }

        foreach (var lease in response.Leases ?? [])
        {
            _slots.ExtendLease(lease.JobId, lease.LeaseUntil);
        }

        _metrics?.Heartbeat(response.Leases?.Count ?? 0, response.Leases is { } extended ? running.Length - extended.Count : null);
        StopCancelled(response.Cancel, running);

        if (response.Assignment is not { } assignment)
        {
            return HeartbeatOutcome.Delivered;
        }

        ApplyAssignment(session, assignment);
        return HeartbeatOutcome.AssignmentChanged;
    }

    /// <summary>
    /// Stops the handlers of the running jobs an operator cancelled (the heartbeat's answer names them). Each then ends
    /// as a failure saying so, which the server takes as the end of a cancelled job; a job that finished meanwhile is
    /// reported as it ended.
    /// </summary>
    private void StopCancelled(IReadOnlyList<string>? cancel, RunningJob[] running)
    {
        if (cancel is null || _board is null)
        {
            return;
        }

        foreach (var jobId in cancel)
        {
            if (Array.Exists(running, r => r.JobId == jobId) && _board.Cancel(jobId))
            {
                LogJobCancelRequested(_botKey, jobId);
            }
        }
    }

    // Only the counter's limit changes: running jobs keep their slots, so a lower limit never
    // overshoots (no new claims until enough finish) and a higher one fills on the next tick.
    private void ApplyAssignment(BotSession session, BotAssignment assignment)
    {
        BotSession updated;
        lock (_state.Gate)
        {
            if (!ReferenceEquals(_session, session))
            {
                return;
            }

            var operations = _definition.Operations.Where((assignment.Operations ?? []).Contains).ToImmutableArray();
            updated = session with
            {
                Operations = operations,
                MaxConcurrency = Math.Clamp(assignment.MaxConcurrency, 1, _definition.MaxConcurrency),
                Paused = assignment.Paused || operations.IsEmpty,
            };
            _session = updated;
        }

        LogAssignmentChanged(_botKey, updated.Operations, updated.MaxConcurrency, updated.Paused);
        if (updated.MaxConcurrency > session.MaxConcurrency || (session.Paused && !updated.Paused))
        {
            CapacityAvailable?.Invoke();
        }
    }

    private async Task<TickResult?> FlushOutboxAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _reports.FlushOutboxAsync(_session!, cancellationToken);
        }
        finally
        {
            await PersistAsync();
        }
    }

    /// <param name="reportsFailing">The outbox could not be flushed: a working claim does not make the bot healthy.</param>
    private async Task<TickResult> ClaimAndDispatchAsync(CancellationToken cancellationToken, bool reportsFailing = false)
    {
        var session = _session!;
        if (session.Paused)
        {
            // A paused bot claims nothing, so it must not keep the idle line's turn from the others.
            LeaveLine();
            return new(TickOutcome.Stopped);
        }

        var limit = Math.Min(session.ClaimBatchSize, _slots.Free(session.MaxConcurrency));
        if (limit <= 0)
        {
            // Woken for its turn with no free slot: the next bot in line takes it.
            if (CurrentLine() is { } full)
            {
                _relay!.HandOn(full);
            }

            return new(TickOutcome.Busy);
        }

        // Long poll only while reports flow: a bot whose outbox is stuck must come back to flush it.
        var wait = reportsFailing ? TimeSpan.Zero : session.ClaimWait;
        string? line = null;
        if (wait > TimeSpan.Zero && _relay is not null)
        {
            if (_lastClaimFull)
            {
                // More work is likely: claim without waiting. Should the queue be dry, the empty answer sends this
                // bot to the line, instead of every bot of a finished burst holding a connection at the server.
                wait = TimeSpan.Zero;
            }
            else
            {
                // An idle bot waits for work in its silo's line; only the one whose turn it is waits at the server.
                line = JoinLine(session);
                if (!_relay.TryHold(line, _botKey, _wakeUp))
                {
                    return new(TickOutcome.WaitingInLine);
                }
            }
        }
        else if (CurrentLine() is { } held)
        {
            // A claim that does not wait (the outbox is failing) gives up a held turn.
            _relay!.PassTurn(held, _botKey);
        }

        var started = _time.GetTimestamp();
        ClaimResponse<JsonElement> claim;
        try
        {
            // A claim whose answer was lost is sent again with the same id: the server answers with what it leased then.
            _claimId ??= Guid.NewGuid().ToString("N");
            var request = new ClaimRequest(session.BotId, session.Operations, limit, wait > TimeSpan.Zero ? (int)wait.TotalMilliseconds : null, _claimId);
            _waitingAtServer = wait > TimeSpan.Zero;
            claim = await _api.ClaimAsync(request, session.AccessToken, cancellationToken);
            _claimId = null;
        }
        catch (Exception ex) when (!IsShutdown(ex, cancellationToken))
        {
            _metrics?.ClaimFailed(_time.GetElapsedTime(started));
            OnTransientFailure(ex);
            LogClaimFailed(_botKey, ex.Message);
            LogFaultDetail(_botKey, "claim", ex);
            return TickResult.Failed(TickOutcome.ClaimFailed, ex);
        }
        finally
        {
            _waitingAtServer = false;
        }

        if (!reportsFailing)
        {
            MarkHealthy();
        }

        var jobs = claim.Jobs ?? [];
        var claimedAt = _time.GetUtcNow();
        _metrics?.Claimed(_time.GetElapsedTime(started), jobs.Count);
        _lastClaimFull = jobs.Count >= limit;
        if (line is not null && jobs.Count > 0)
        {
            // Work came: the next idle bot in line waits (or, while jobs are left, claims at once) in our place.
            _relay!.PassTurn(line, _botKey);
        }

        var accepted = new List<ClaimedJob>(jobs.Count);
        foreach (var raw in jobs)
        {
            if (Accept(raw, session) is { } job)
            {
                accepted.Add(job);
            }
        }

        // One save per batch records the jobs as running before any of them starts.
        if (accepted.Count > 0)
        {
            await PersistAsync();
        }

        foreach (var job in accepted)
        {
            Track(RunAsync(job, JobTracing.StartJob(job, session.BotId, claimedAt)));
        }

        // An empty answer that came back early was not a wait (a server that ignores wait_ms, or woke for a job
        // another bot took): back off as for any idle claim, so such a server is never polled in a tight loop.
        var waited = wait > TimeSpan.Zero && _time.GetElapsedTime(started) >= wait / 2;
        var outcome = jobs.Count == 0 ? (waited ? TickOutcome.IdleAfterWait : TickOutcome.Idle)
            : jobs.Count >= limit ? TickOutcome.ClaimedFullBatch : TickOutcome.Claimed;
        return new(outcome, accepted.Count);
    }

    /// <summary>
    /// Takes a slot for one claimed job and records it as running, or reports why it cannot run.
    /// Never throws, so the rest of the batch runs.
    /// </summary>
    private ClaimedJob? Accept(System.Text.Json.JsonElement raw, BotSession session)
    {
        var parsed = ClaimedJobParser.Parse(raw);
        if (parsed.Job is not { } job)
        {
            if (parsed.JobId is null)
            {
                Interlocked.Increment(ref _malformedJobsSkipped);
                LogMalformedJobSkipped(_botKey, parsed.Error!);
            }
            else
            {
                LogMalformedJobRejected(_botKey, parsed.JobId, parsed.Error!);
                Interlocked.Increment(ref _jobsFailed);
                _reports.Submit(JobReport.Fail(parsed.JobId, InstanceId, parsed.Error!), holdsSlot: false);
            }

            return null;
        }

        // Refused before it takes a slot or reaches a worker: the bot's memory is not the server's to size.
        var payloadBytes = JsonMarshal.GetRawUtf8Value(job.Payload).Length;
        if (payloadBytes > _maxPayloadBytes)
        {
            Interlocked.Increment(ref _jobsFailed);
            var error = $"payload of {ByteSize.Format(payloadBytes)} ({payloadBytes} bytes) exceeds this bot's {ByteSize.Format(_maxPayloadBytes)} limit ({SchedulerOptions.SectionName}:{nameof(SchedulerOptions.MaxPayloadBytes)})";
            LogJobRefused(_botKey, job.Id, error);
            _reports.Submit(JobReport.Fail(job.Id, InstanceId, error), holdsSlot: false);
            return null;
        }

        var record = new RunningJobRecord(job.Id, job.Op, job.Attempt, InstanceId, _time.GetUtcNow(), job.LeaseUntil);
        if (!_slots.TryAcquire(record, session.MaxConcurrency))
        {
            // Only a server that ignores the claim's limit (or hands out a job twice) gets here: refuse rather than overshoot.
            Interlocked.Increment(ref _jobsFailed);
            _reports.Submit(JobReport.Fail(job.Id, InstanceId, "bot at capacity: the claim returned more jobs than its limit"), holdsSlot: false);
            return null;
        }

        return job;
    }

    private async Task RunAsync(ClaimedJob job, JobTrace? trace)
    {
        _metrics?.JobStarted();
        var started = _time.GetTimestamp();
        JobOutcome outcome;
        try
        {
            outcome = await DispatchAsync(new JobWork(job.Id, job.Op, job.Payload.GetRawText(), job.Attempt, trace?.TraceParent));
        }
        catch (Exception ex)
        {
            LogWorkerCallFailed(_botKey, job.Id, ex);
            outcome = JobOutcome.Failure(job.Id, $"worker call failed: {ex.Message}");
        }

        // A result the server would refuse (413) is reported as what it is, a failure, so the job is not left leased.
        if (outcome.Succeeded && _session is { } session && Encoding.UTF8.GetByteCount(outcome.ResultJson ?? "null") is var resultBytes && resultBytes > session.MaxResultBytes)
        {
            var error = $"result of {ByteSize.Format(resultBytes)} ({resultBytes} bytes) exceeds the server's {ByteSize.Format(session.MaxResultBytes)} limit";
            LogJobRefused(_botKey, job.Id, error);
            outcome = JobOutcome.Failure(job.Id, error);
        }

        _metrics?.JobFinished(job.Op, outcome.Succeeded, _time.GetElapsedTime(started));
        trace?.Ran(outcome);
        if (outcome.Succeeded)
        {
            Interlocked.Increment(ref _jobsCompleted);
            _reports.Submit(JobReport.Complete(job.Id, InstanceId, outcome.ResultJson ?? "null"), trace: trace);
        }
        else
        {
            Interlocked.Increment(ref _jobsFailed);
            _reports.Submit(JobReport.Fail(job.Id, InstanceId, outcome.Error!), trace: trace);
        }
    }

    /// <summary>
    /// Sends the job to a worker. A call that could not even be sent (no connection to the worker's silo, one that is
    /// going down and not yet known to be dead) is sent again after a pause: the handler never ran, so the job must not
    /// lose an attempt to it. Any other fault is the attempt's.
    /// </summary>
    private async Task<JobOutcome> DispatchAsync(JobWork work)
    {
        for (var resend = 1; ; resend++)
        {
            try
            {
                return await _dispatcher.DispatchAsync(work);
            }
            catch (ConnectionFailedException ex) when (resend <= MaxWorkerCallResends)
            {
                var pause = TimeSpan.FromMilliseconds(250 << (resend - 1));
                LogWorkerCallNotSent(_botKey, work.JobId, pause.TotalMilliseconds, ex.Message);
                LogFaultDetail(_botKey, "worker call", ex);
                await Task.Delay(pause, _time);
            }
        }
    }

    // A settled batch frees its slots at once and leaves the running record in the same save, so
    // the record is exact: what storage lists as running has not been reported.
    private async Task OnReportsSettledAsync(IReadOnlyList<string> jobIds)
    {
        var released = _slots.Release(jobIds);
        await PersistAsync();
        if (released > 0)
        {
            CapacityAvailable?.Invoke();
        }
    }

    /// <summary>Saves the durable state if it changed.</summary>
    /// <returns>False when the store failed; the changes stay marked for the next save.</returns>
    private async Task<bool> PersistAsync()
    {
        var (saved, outboxCount, error) = await _state.SaveAsync();
        if (!saved)
        {
            LogOutboxSaveFailed(_botKey, outboxCount, error!);
        }

        return saved;
    }

    /// <summary>The relay line of the session's operations, leaving the one of earlier operations.</summary>
    private string JoinLine(BotSession session)
    {
        var line = string.Join('\n', session.Operations.Order(StringComparer.Ordinal));
        string? previous;
        lock (_state.Gate)
        {
            previous = _line;
            _line = line;
        }

        if (previous is not null && previous != line)
        {
            _relay!.Leave(previous, _botKey);
        }

        return line;
    }

    private string? CurrentLine()
    {
        lock (_state.Gate)
        {
            return _line;
        }
    }

    private void LeaveLine()
    {
        string? line;
        lock (_state.Gate)
        {
            line = _line;
            _line = null;
        }

        if (line is not null)
        {
            _relay!.Leave(line, _botKey);
        }
    }

    private static bool IsShutdown(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private void OnTransientFailure(Exception ex)
    {
        if (ex is JobApiException { StatusCode: HttpStatusCode.TooManyRequests })
        {
            _metrics?.Throttled();
        }

        if (ex is JobApiException { StatusCode: HttpStatusCode.Unauthorized })
        {
            _session = null;
        }

        MarkDegraded(ex);
    }

    private void MarkDegraded(Exception ex)
    {
        lock (_state.Gate)
        {
            _degraded = true;
            _lastError = ex.Message;
        }
    }

    private void MarkHealthy()
    {
        lock (_state.Gate)
        {
            _degraded = false;
            _lastError = null;
        }
    }

    private void Track(Task task)
    {
        lock (_state.Gate)
        {
            _work.Add(task);
        }

        task.ContinueWith(
            (finished, state) =>
            {
                var scheduler = (BotScheduler)state!;
                lock (scheduler._state.Gate)
                {
                    scheduler._work.Remove(finished);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Current);
    }
}

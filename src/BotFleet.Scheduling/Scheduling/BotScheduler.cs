using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Jobs;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Wire;
using BotFleet.Scheduling.Outbox;
using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// The scheduling logic of one bot, free of Orleans so it can be tested with a fake job API.
/// A tick flushes the outbox (fail-fast, order kept), claims up to the free slots, and starts
/// each job without waiting for the others. Every job holds one slot from dispatch until its
/// report is delivered or durably kept, and gives it back exactly once.
/// </summary>
/// <remarks>
/// Job completions run concurrently with ticks (in the silo they interleave on the grain's
/// scheduler; in tests they run on the thread pool), so shared state is guarded by one lock
/// and saves of the outbox are serialised, newest snapshot last.
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim owns no handle unless AvailableWaitHandle is read.")]
public sealed partial class BotScheduler
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _persistLock = new(1, 1);
    private readonly HashSet<Task> _work = [];
    private readonly List<JobReport> _outbox;
    private readonly List<QuarantinedReport> _quarantine;
    private readonly Dictionary<string, RunningJobRecord> _running = new(StringComparer.Ordinal);
    private readonly string _botKey;
    private readonly IJobApiClient _api;
    private readonly IJobDispatcher _dispatcher;
    private readonly ISchedulerStateStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _botVersion;
    private readonly int _outboxHighWaterMark;
    private readonly int _poisonReportThreshold;
    private bool _batchReports = true;
    private JobReport? _stuckReport;
    private int _stuckReportFailures;

    private BotDefinition _definition;
    private volatile BotSession? _session;
    private int _tickRunning;
    private bool _stopped;
    private bool _outboxDirty;
    private bool _runningChanged;
    private bool _degraded;
    private string? _lastError;
    private DateTimeOffset? _lastTickAt;
    private DateTimeOffset? _lastHeartbeatAt;
    private int _inFlight;
    private int _peakInFlight;
    private long _jobsCompleted;
    private long _jobsFailed;
    private long _reportsDropped;
    private long _malformedJobsSkipped;
    private readonly long _jobsReleased;

    public BotScheduler(
        string botKey,
        BotDefinition definition,
        SchedulerSnapshot durable,
        IJobApiClient api,
        IJobDispatcher dispatcher,
        ISchedulerStateStore store,
        TimeProvider time,
        ILogger logger,
        SchedulerOptions? options = null)
    {
        var errors = definition.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Bot {botKey} has an invalid definition: {string.Join("; ", errors)}", nameof(definition));
        }

        _botKey = botKey;
        _definition = definition;
        _outbox = [.. durable.Pending];
        _quarantine = [.. durable.Quarantined];
        _api = api;
        _dispatcher = dispatcher;
        _store = store;
        _time = time;
        _logger = logger;
        options ??= new SchedulerOptions();
        _botVersion = options.BotVersion;
        _outboxHighWaterMark = options.OutboxHighWaterMark;
        _poisonReportThreshold = options.PoisonReportThreshold;
        InstanceId = Guid.NewGuid().ToString();

        // Jobs still recorded as running died with the previous activation: report them lost now,
        // so the server re-queues them in seconds instead of waiting for their leases to expire.
        foreach (var lost in durable.Running ?? [])
        {
            _outbox.Add(JobReport.Fail(lost.JobId, lost.InstanceId, WorkerLostError));
            _jobsReleased++;
        }

        _outboxDirty = _jobsReleased > 0;
    }

    /// <summary>Most kept reports sent in one POST /v1/jobs/reports (the server takes up to 1,000).</summary>
    public const int MaxReportsPerBatch = 100;

    /// <summary>The error reported for a job that was running when its bot's silo died.</summary>
    public const string WorkerLostError = "worker lost: the bot's silo stopped while the job was running";

    /// <summary>Raised (outside any lock) when slots may have become free: a job gave its slot back, or the limit rose.</summary>
    public event Action? CapacityAvailable;

    /// <summary>This activation's instance id: new per process start, sent with every report.</summary>
    public string InstanceId { get; }

    public BotSession? Session => _session;

    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>The most jobs that ever held a slot at the same time.</summary>
    public int PeakInFlight
    {
        get
        {
            lock (_gate)
            {
                return _peakInFlight;
            }
        }
    }

    /// <summary>Slots free under the bot's effective max_concurrency (its definition until it has registered).</summary>
    public int FreeSlots
    {
        get
        {
            lock (_gate)
            {
                return Math.Max(0, MaxConcurrency - _inFlight);
            }
        }
    }

    public long MalformedJobsSkipped => Interlocked.Read(ref _malformedJobsSkipped);

    /// <summary>Jobs of an earlier activation reported lost when this one started.</summary>
    public long JobsReleased => _jobsReleased;

    /// <summary>The jobs running now, as they are recorded in durable state.</summary>
    public IReadOnlyList<RunningJobRecord> RunningJobs
    {
        get
        {
            lock (_gate)
            {
                return [.. _running.Values];
            }
        }
    }

    private int PendingReportCount
    {
        get
        {
            lock (_gate)
            {
                return _outbox.Count;
            }
        }
    }

    public IReadOnlyList<JobReport> PendingReports
    {
        get
        {
            lock (_gate)
            {
                return [.. _outbox];
            }
        }
    }

    public IReadOnlyList<QuarantinedReport> QuarantinedReports
    {
        get
        {
            lock (_gate)
            {
                return [.. _quarantine];
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

        lock (_gate)
        {
            _definition = definition;
            _stopped = false;
            _session = null;
        }
    }

    /// <summary>Stops claiming. Running jobs still finish and report.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
        }
    }

    /// <summary>One scheduling round. Never throws for job API faults: they show in the result.</summary>
    public async Task<TickResult> TickAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _tickRunning, 1, 0) != 0)
        {
            return new(TickOutcome.AlreadyRunning);
        }

        try
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
            if (PendingReportCount >= _outboxHighWaterMark)
            {
                return blocked;
            }

            var claimed = await ClaimAndDispatchAsync(cancellationToken, reportsFailing: true);
            return new(TickOutcome.OutboxBlocked, claimed.JobsStarted, blocked.RetryAfter ?? claimed.RetryAfter);
        }
        finally
        {
            Volatile.Write(ref _tickRunning, 0);
        }
    }

    /// <summary>Waits until every started job and report has finished, or the timeout passes.</summary>
    /// <returns>True when nothing is left running.</returns>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            Task[] running;
            lock (_gate)
            {
                running = [.. _work];
            }

            if (running.Length == 0)
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
                await Task.WhenAll(running).WaitAsync(left, _time);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }

    public BotStatus GetStatus()
    {
        var session = _session;
        lock (_gate)
        {
            return new BotStatus
            {
                BotKey = _botKey,
                State = (_stopped, _inFlight, _degraded, session) switch
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
                InFlight = _inFlight,
                PeakInFlight = _peakInFlight,
                OutboxSize = _outbox.Count,
                JobsCompleted = Interlocked.Read(ref _jobsCompleted),
                JobsFailed = Interlocked.Read(ref _jobsFailed),
                ReportsDropped = Interlocked.Read(ref _reportsDropped),
                LastError = _lastError,
                LastTickAt = _lastTickAt,
                LastHeartbeatAt = _lastHeartbeatAt,
                JobsReleased = _jobsReleased,
            };
        }
    }

    private bool IsStopped()
    {
        lock (_gate)
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
        lock (_gate)
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
            return new(TickOutcome.RegistrationFailed, RetryAfter: (ex as JobApiException)?.RetryAfter);
        }
    }

    // The server may narrow what the bot offers, never widen it.
    private static BotSession Narrow(BotDefinition definition, RegisterBotResponse response)
    {
        var assigned = response.Assignment.Operations ?? [];
        var operations = definition.Operations.Where(assigned.Contains).ToImmutableArray();
        var maxConcurrency = Math.Clamp(response.Assignment.MaxConcurrency, 1, definition.MaxConcurrency);
        var batch = response.Config.ClaimBatchSize > 0 ? Math.Min(definition.ClaimBatchSize, response.Config.ClaimBatchSize) : definition.ClaimBatchSize;
        var heartbeat = TimeSpan.FromSeconds(response.Config.HeartbeatInterval > 0 ? response.Config.HeartbeatInterval : DefaultHeartbeatSeconds);
        return new BotSession(response.BotId, response.Auth.AccessToken, operations, maxConcurrency, batch, response.Assignment.Paused || operations.IsEmpty, heartbeat);
    }

    // Used when a server's config names no heartbeat interval (job-api-v1.md's example value).
    private const int DefaultHeartbeatSeconds = 30;

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
        lock (_gate)
        {
            running = [.. _running.Values.Select(r => new RunningJob(r.JobId, r.Op, (long)(now - r.StartedAt).TotalMilliseconds, r.LeaseUntil))];
        }

        HeartbeatResponse response;
        try
        {
            response = await _api.HeartbeatAsync(session.BotId, new HeartbeatRequest(InstanceId, running), session.AccessToken, cancellationToken);
        }
        catch (Exception ex) when (!IsShutdown(ex, cancellationToken))
        {
            if (ex is JobApiException { StatusCode: HttpStatusCode.Unauthorized })
            {
                _session = null;
            }

            LogHeartbeatFailed(_botKey, ex.Message);
            return HeartbeatOutcome.Failed;
        }

        lock (_gate)
        {
            _lastHeartbeatAt = now;
            foreach (var lease in response.Leases ?? [])
            {
                if (_running.TryGetValue(lease.JobId, out var record))
                {
                    _running[lease.JobId] = record with { LeaseUntil = lease.LeaseUntil };
                }
            }
        }

        if (response.Assignment is not { } assignment)
        {
            return HeartbeatOutcome.Delivered;
        }

        ApplyAssignment(session, assignment);
        return HeartbeatOutcome.AssignmentChanged;
    }

    // Only the counter's limit changes: running jobs keep their slots, so a lower limit never
    // overshoots (no new claims until enough finish) and a higher one fills on the next tick.
    private void ApplyAssignment(BotSession session, BotAssignment assignment)
    {
        BotSession updated;
        lock (_gate)
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
        var session = _session!;
        var handled = 0;
        var singly = false;
        try
        {
            while (true)
            {
                var batch = _batchReports && !singly ? _api as IJobReportBatchClient : null;
                List<JobReport> chunk;
                lock (_gate)
                {
                    chunk = [.. _outbox.Skip(handled).Take(batch is null ? 1 : MaxReportsPerBatch)];
                }

                if (chunk.Count == 0)
                {
                    return null;
                }

                try
                {
                    if (batch is not null && chunk.Count > 1)
                    {
                        await SendBatchAsync(batch, chunk, session, cancellationToken);
                    }
                    else
                    {
                        await SendKeptAsync(chunk[0], session, cancellationToken);
                    }
                }
                catch (JobApiException ex) when (batch is not null && ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
                {
                    // A server without POST /v1/jobs/reports: send one report at a time from now on.
                    _batchReports = false;
                    LogReportBatchUnsupported(_botKey);
                    continue;
                }
                catch (JobApiException ex) when (IsServerError(ex) && chunk.Count > 1)
                {
                    // One bad report can fail a whole batch: go on one by one, so it can be told apart.
                    singly = true;
                    continue;
                }
                catch (JobApiException ex) when (IsServerError(ex) && IsPoison(chunk[0]))
                {
                    Quarantine(chunk[0], $"undeliverable: the server answered {(int)ex.StatusCode!} to it {_poisonReportThreshold} times in a row ({ex.Message})");
                    handled++;
                    continue;
                }
                catch (Exception ex) when (!IsShutdown(ex, cancellationToken))
                {
                    // Fail fast: this report and every one after it stay, in order, for the next tick.
                    OnTransientFailure(ex);
                    LogOutboxFlushStopped(_botKey, handled, chunk[0].JobId, ex.Message);
                    return new(TickOutcome.OutboxBlocked, RetryAfter: (ex as JobApiException)?.RetryAfter);
                }

                handled += chunk.Count;
            }
        }
        finally
        {
            if (handled > 0)
            {
                lock (_gate)
                {
                    _outbox.RemoveRange(0, handled);
                    _outboxDirty = true;
                }

                await PersistAsync();
            }
        }
    }

    /// <summary>Sends one kept report; it is settled (delivered, dropped or quarantined) unless this throws a transient fault.</summary>
    private async Task SendKeptAsync(JobReport report, BotSession session, CancellationToken cancellationToken)
    {
        try
        {
            OnDelivered(report, await _api.SendAsync(report, session.AccessToken, cancellationToken));
        }
        catch (CorruptReportException ex)
        {
            Quarantine(report, ex.Message);
        }
        catch (JobApiException ex) when (IsPermanent(ex))
        {
            Drop(report, ex);
        }
    }

    /// <summary>Sends kept reports in one call; every one is settled unless this throws (then none is).</summary>
    private async Task SendBatchAsync(IJobReportBatchClient batch, List<JobReport> reports, BotSession session, CancellationToken cancellationToken)
    {
        // Nothing changes until the call is answered: a fault (or a fallback to single reports) leaves the chunk as it was.
        var sendable = new List<JobReport>(reports.Count);
        var items = new List<ReportBatchItem>(reports.Count);
        var corrupt = new List<(JobReport Report, CorruptReportException Reason)>();
        foreach (var report in reports)
        {
            try
            {
                items.Add(report.ToBatchItem());
                sendable.Add(report);
            }
            catch (CorruptReportException ex)
            {
                corrupt.Add((report, ex));
            }
        }

        IReadOnlyList<ReportBatchItemResult> results = [];
        try
        {
            if (items.Count > 0)
            {
                results = await batch.ReportBatchAsync(items, session.AccessToken, cancellationToken);
            }
        }
        catch (JobApiException ex) when (IsPermanent(ex) && ex.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed))
        {
            sendable.ForEach(report => Drop(report, ex));
            sendable.Clear();
        }

        corrupt.ForEach(c => Quarantine(c.Report, c.Reason.Message));

        for (var i = 0; i < sendable.Count; i++)
        {
            var status = i < results.Count ? results[i].Status : ReportItemStatuses.Invalid;
            if (status != ReportItemStatuses.Accepted)
            {
                Interlocked.Increment(ref _reportsDropped);
                LogReportItemRefused(_botKey, sendable[i].JobId, sendable[i].Kind, status, i < results.Count ? results[i].Error : "no result for this item");
            }
        }
    }

    private void Quarantine(JobReport report, string reason)
    {
        lock (_gate)
        {
            _quarantine.Add(new QuarantinedReport(report, reason, _time.GetUtcNow()));
            _outboxDirty = true;
        }

        LogReportQuarantined(_botKey, report.JobId, reason);
    }

    // A server that answers, but with an error, to the same report every time: that report is the problem.
    // 429 and 503 say "later", and a server that cannot be reached says nothing about the report.
    private static bool IsServerError(JobApiException ex) =>
        ex.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;

    /// <summary>Counts another server error for the report at the head of the outbox; true once it reaches the threshold.</summary>
    private bool IsPoison(JobReport head)
    {
        if (!ReferenceEquals(_stuckReport, head))
        {
            _stuckReport = head;
            _stuckReportFailures = 0;
        }

        if (++_stuckReportFailures < _poisonReportThreshold)
        {
            return false;
        }

        _stuckReport = null;
        return true;
    }

    /// <param name="reportsFailing">The outbox could not be flushed: a working claim does not make the bot healthy.</param>
    private async Task<TickResult> ClaimAndDispatchAsync(CancellationToken cancellationToken, bool reportsFailing = false)
    {
        var session = _session!;
        if (session.Paused)
        {
            return new(TickOutcome.Stopped);
        }

        int limit;
        lock (_gate)
        {
            limit = Math.Min(session.ClaimBatchSize, session.MaxConcurrency - _inFlight);
        }

        if (limit <= 0)
        {
            return new(TickOutcome.Busy);
        }

        ClaimResponse claim;
        try
        {
            claim = await _api.ClaimAsync(new ClaimRequest(session.BotId, session.Operations, limit), session.AccessToken, cancellationToken);
        }
        catch (Exception ex) when (!IsShutdown(ex, cancellationToken))
        {
            OnTransientFailure(ex);
            LogClaimFailed(_botKey, ex.Message);
            return new(TickOutcome.ClaimFailed, RetryAfter: (ex as JobApiException)?.RetryAfter);
        }

        if (!reportsFailing)
        {
            MarkHealthy();
        }

        var jobs = claim.Jobs ?? [];
        var accepted = new List<ClaimedJob>(jobs.Count);
        foreach (var raw in jobs)
        {
            if (Accept(raw) is { } job)
            {
                accepted.Add(job);
            }
        }

        // One save per batch records the jobs as running before any of them starts.
        if (accepted.Count > 0)
        {
            await PersistAsync(includeRunningChanges: true);
        }

        foreach (var job in accepted)
        {
            Track(RunAsync(job));
        }

        var started = accepted.Count;
        var outcome = jobs.Count == 0 ? TickOutcome.Idle : jobs.Count >= limit ? TickOutcome.ClaimedFullBatch : TickOutcome.Claimed;
        return new(outcome, started);
    }

    /// <summary>
    /// Takes a slot for one claimed job and records it as running, or reports why it cannot run.
    /// Never throws, so the rest of the batch runs.
    /// </summary>
    private ClaimedJob? Accept(System.Text.Json.JsonElement raw)
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
                Track(ReportAsync(JobReport.Fail(parsed.JobId, InstanceId, parsed.Error!)));
            }

            return null;
        }

        if (!TryAcquireSlot(job))
        {
            // Only a server that ignores the claim's limit gets here: hand the job back rather than overshoot.
            Interlocked.Increment(ref _jobsFailed);
            Track(ReportAsync(JobReport.Fail(job.Id, InstanceId, "bot at capacity: the claim returned more jobs than its limit")));
            return null;
        }

        return job;
    }

    private async Task RunAsync(ClaimedJob job)
    {
        try
        {
            JobOutcome outcome;
            try
            {
                outcome = await _dispatcher.DispatchAsync(new JobWork(job.Id, job.Op, job.Payload.GetRawText(), job.Attempt));
            }
            catch (Exception ex)
            {
                LogWorkerCallFailed(_botKey, job.Id, ex);
                outcome = JobOutcome.Failure(job.Id, $"worker call failed: {ex.Message}");
            }

            JobReport report;
            if (outcome.Succeeded)
            {
                Interlocked.Increment(ref _jobsCompleted);
                report = JobReport.Complete(job.Id, InstanceId, outcome.ResultJson ?? "null");
            }
            else
            {
                Interlocked.Increment(ref _jobsFailed);
                report = JobReport.Fail(job.Id, InstanceId, outcome.Error!);
            }

            await ReportAsync(report);
        }
        finally
        {
            ReleaseSlot(job.Id);
        }
    }

    /// <summary>Delivers a report, or keeps it durably in the outbox. Never throws.</summary>
    private async Task ReportAsync(JobReport report)
    {
        var session = _session;
        bool queueBehind;
        lock (_gate)
        {
            // Behind a non-empty outbox a report waits its turn, so delivery keeps outbox order.
            queueBehind = session is null || _outbox.Count > 0;
        }

        if (!queueBehind)
        {
            try
            {
                var delivery = await _api.SendAsync(report, session!.AccessToken, CancellationToken.None);
                OnDelivered(report, delivery);
                return;
            }
            catch (JobApiException ex) when (IsPermanent(ex))
            {
                Drop(report, ex);
                return;
            }
            catch (CorruptReportException ex)
            {
                Quarantine(report, ex.Message);
                await PersistAsync();
                return;
            }
            catch (Exception ex)
            {
                OnTransientFailure(ex);
                LogReportDeferred(_botKey, report.JobId, ex.Message);
            }
        }

        lock (_gate)
        {
            _outbox.Add(report);
            _outboxDirty = true;
        }

        await PersistAsync();
    }

    /// <summary>
    /// Saves the outbox if it changed — and the running jobs if asked to, since finished jobs may
    /// leave the record lazily. Snapshots are taken inside the save lock, so the newest always lands last.
    /// </summary>
    /// <returns>False when the store failed; the changes stay marked for the next save.</returns>
    private async Task<bool> PersistAsync(bool includeRunningChanges = false)
    {
        await _persistLock.WaitAsync();
        try
        {
            SchedulerSnapshot snapshot;
            lock (_gate)
            {
                if (!_outboxDirty && !(includeRunningChanges && _runningChanged))
                {
                    return true;
                }

                snapshot = new SchedulerSnapshot([.. _outbox], [.. _quarantine], [.. _running.Values]);
                _outboxDirty = false;
                _runningChanged = false;
            }

            try
            {
                await _store.SaveAsync(snapshot);
                return true;
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    _outboxDirty = true;
                }

                LogOutboxSaveFailed(_botKey, snapshot.Pending.Count, ex);
                return false;
            }
        }
        finally
        {
            _persistLock.Release();
        }
    }

    private void OnDelivered(JobReport report, ReportDelivery delivery)
    {
        if (delivery == ReportDelivery.Accepted)
        {
            return;
        }

        Interlocked.Increment(ref _reportsDropped);
        LogReportRefused(_botKey, report.JobId, report.Kind, delivery);
    }

    private void Drop(JobReport report, JobApiException ex)
    {
        Interlocked.Increment(ref _reportsDropped);
        LogReportRejected(_botKey, report.JobId, report.Kind, ex.StatusCode, ex.Message);
    }

    // A 401 is transient for a report: the bot registers again and the report waits in the outbox.
    private static bool IsPermanent(JobApiException ex) => !ex.IsTransient && ex.StatusCode != HttpStatusCode.Unauthorized;

    private static bool IsShutdown(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private void OnTransientFailure(Exception ex)
    {
        if (ex is JobApiException { StatusCode: HttpStatusCode.Unauthorized })
        {
            _session = null;
        }

        MarkDegraded(ex);
    }

    private void MarkDegraded(Exception ex)
    {
        lock (_gate)
        {
            _degraded = true;
            _lastError = ex.Message;
        }
    }

    private void MarkHealthy()
    {
        lock (_gate)
        {
            _degraded = false;
            _lastError = null;
        }
    }

    private bool TryAcquireSlot(ClaimedJob job)
    {
        lock (_gate)
        {
            if (_inFlight >= MaxConcurrency)
            {
                return false;
            }

            _inFlight++;
            _peakInFlight = Math.Max(_peakInFlight, _inFlight);
            _running[job.Id] = new RunningJobRecord(job.Id, job.Op, job.Attempt, InstanceId, _time.GetUtcNow(), job.LeaseUntil);
            _runningChanged = true;
            return true;
        }
    }

    // The finished job leaves the durable record with the next save: a stale record only costs a "worker lost" report the server refuses.
    private void ReleaseSlot(string jobId)
    {
        lock (_gate)
        {
            _inFlight--;
            _running.Remove(jobId);
            _runningChanged = true;
        }

        CapacityAvailable?.Invoke();
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _work.Add(task);
        }

        task.ContinueWith(
            (finished, state) =>
            {
                var scheduler = (BotScheduler)state!;
                lock (scheduler._gate)
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

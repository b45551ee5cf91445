using System.Net;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tracing;
using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Outbox;

/// <summary>
/// Everything between a finished job and the server: live reports are coalesced into one
/// POST /v1/jobs/reports per batch (a single report uses the single-report route, which every server
/// has); what cannot be delivered joins the durable outbox, which the tick flushes in order before it
/// claims. The delivery policy — drop (refused for good), quarantine (can never be sent), keep
/// (transient) — lives here once, for live reports and kept ones alike.
/// </summary>
/// <remarks>
/// Coalescing needs no timer: while one batch is on the wire the next one fills, and the first
/// report of an idle pipeline waits one yield, so completions already queued on the grain join it.
/// </remarks>
internal sealed partial class ReportPipeline
{
    private readonly string _botKey;
    private readonly BotDurableState _state;
    private readonly IJobApiClient _api;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _poisonReportThreshold;
    private readonly Func<BotSession?> _session;
    private readonly Action<Exception> _onTransientFailure;
    private readonly Func<IReadOnlyList<string>, Task> _onSettled;
    private readonly List<JobReport> _live = [];
    private readonly HashSet<JobReport> _slotless = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<JobReport, JobTrace> _traces = new(ReferenceEqualityComparer.Instance);
    private int _tracedReports;
    private Task _liveFlush = Task.CompletedTask;
    private bool _liveFlushing;
    private bool _batchReports = true;
    private JobReport? _stuckReport;
    private int _stuckReportFailures;
    private long _reportsDropped;

    /// <param name="onTransientFailure">Told of every fault that keeps a report for later (a 401 drops the session there).</param>
    /// <param name="onSettled">
    /// Called once per live batch, with the jobs whose slots its reports held, once each report was delivered,
    /// refused or moved to the outbox (in memory; the callee saves).
    /// </param>
    public ReportPipeline(
        string botKey,
        BotDurableState state,
        IJobApiClient api,
        TimeProvider time,
        ILogger logger,
        int poisonReportThreshold,
        Func<BotSession?> session,
        Action<Exception> onTransientFailure,
        Func<IReadOnlyList<string>, Task> onSettled,
        SchedulerMetrics? metrics = null)
    {
        _botKey = botKey;
        _state = state;
        _api = api;
        _time = time;
        _logger = logger;
        _poisonReportThreshold = poisonReportThreshold;
        _session = session;
        _onTransientFailure = onTransientFailure;
        _onSettled = onSettled;
        _metrics = metrics;
        _reportsDropped = state.CountersAtStart.ReportsDropped;
    }

    /// <summary>Most reports sent in one POST /v1/jobs/reports (the server takes up to 1,000).</summary>
    public const int MaxReportsPerBatch = 100;

    private readonly SchedulerMetrics? _metrics;

    // Results of SchedulerMetrics' report counter besides the server's own item statuses.
    private const string DroppedResult = "dropped";
    private const string QuarantinedResult = "quarantined";

    public long ReportsDropped => Interlocked.Read(ref _reportsDropped);

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

    /// <summary>Takes a finished job's report; it goes out with the next batch. Never throws.</summary>
    /// <param name="holdsSlot">False for a job refused at claim time: settling its report frees no slot.</param>
    /// <param name="trace">The job's open span, ended when the report is settled (in memory only: not kept by the outbox).</param>
    public void Submit(JobReport report, bool holdsSlot = true, JobTrace? trace = null)
    {
        lock (_state.Gate)
        {
            _live.Add(report);
            if (!holdsSlot)
            {
                _slotless.Add(report);
            }

            if (trace is not null)
            {
                trace.ReportQueued(_time.GetUtcNow());
                _traces[report] = trace;
                _tracedReports = _traces.Count;
            }

            if (!_liveFlushing)
            {
                _liveFlushing = true;
                _liveFlush = FlushLiveAsync();
            }
        }
    }

    /// <summary>Completes when no live report is waiting or on the wire.</summary>
    public Task WhenIdleAsync()
    {
        lock (_state.Gate)
        {
            return _liveFlush;
        }
    }

    /// <summary>
    /// Delivers the outbox in order, fail-fast: at the first transient fault that report and every one
    /// after it stay. Null when the outbox is empty afterwards; else why it stopped.
    /// </summary>
    public async Task<TickResult?> FlushOutboxAsync(BotSession session, CancellationToken cancellationToken)
    {
        List<JobReport> pending;
        lock (_state.Gate)
        {
            if (_state.Outbox.Count == 0)
            {
                return null;
            }

            pending = [.. _state.Outbox];
        }

        var started = _time.GetTimestamp();
        var delivery = await DeliverAsync(pending, session, fromOutbox: true, cancellationToken);
        _metrics?.OutboxFlushed(_time.GetElapsedTime(started), delivery.Fault is null);
        if (delivery.Settled > 0)
        {
            lock (_state.Gate)
            {
                // Live reports only ever join at the end, so the head is still what was sent.
                _state.Outbox.RemoveRange(0, delivery.Settled);
                _state.MarkDirty();
            }
        }

        if (delivery.Fault is not { } fault)
        {
            return null;
        }

        if (IsShutdown(fault, cancellationToken))
        {
            throw new OperationCanceledException("the bot is shutting down", fault, cancellationToken);
        }

        _onTransientFailure(fault);
        LogOutboxFlushStopped(_botKey, delivery.Settled, pending[delivery.Settled].JobId, fault.Message);
        LogDeliveryFaultDetail(_botKey, pending[delivery.Settled].JobId, fault);
        return TickResult.Failed(TickOutcome.OutboxBlocked, fault);
    }

    private async Task FlushLiveAsync()
    {
        // Let the completions already queued behind this one join the batch.
        await Task.Yield();
        while (true)
        {
            List<JobReport> batch;
            lock (_state.Gate)
            {
                if (_live.Count == 0)
                {
                    _liveFlushing = false;
                    return;
                }

                var count = Math.Min(_live.Count, MaxReportsPerBatch);
                batch = _live.GetRange(0, count);
                _live.RemoveRange(0, count);
            }

            await SendLiveAsync(batch);
        }
    }

    private async Task SendLiveAsync(List<JobReport> batch)
    {
        var session = _session();
        bool behindOutbox;
        lock (_state.Gate)
        {
            // Behind a non-empty outbox a report waits its turn, so delivery keeps outbox order.
            behindOutbox = _state.Outbox.Count > 0;
        }

        var settled = 0;
        if (session is not null && !behindOutbox)
        {
            try
            {
                var delivery = await DeliverAsync(batch, session, fromOutbox: false, CancellationToken.None);
                settled = delivery.Settled;
                if (delivery.Fault is { } fault)
                {
                    _onTransientFailure(fault);
                    LogReportsDeferred(_botKey, batch.Count - settled, batch[settled].JobId, fault.Message);
                    LogDeliveryFaultDetail(_botKey, batch[settled].JobId, fault);
                }
            }
            catch (Exception ex)
            {
                // Nothing may escape: whatever was not settled is kept below.
                _onTransientFailure(ex);
                LogReportsDeferred(_botKey, batch.Count - settled, batch[settled].JobId, ex.Message);
                LogDeliveryFaultDetail(_botKey, batch[settled].JobId, ex);
            }
        }

        if (settled < batch.Count)
        {
            lock (_state.Gate)
            {
                _state.Outbox.AddRange(batch.Skip(settled));
                _state.MarkDirty();
            }
        }

        List<string> released;
        lock (_state.Gate)
        {
            released = new List<string>(batch.Count);
            foreach (var report in batch)
            {
                if (!_slotless.Remove(report))
                {
                    released.Add(report.JobId);
                }
            }
        }

        try
        {
            await _onSettled(released);
        }
        catch (Exception ex)
        {
            LogSettleFailed(_botKey, ex);
        }
    }

    /// <summary>How far a delivery got: reports settled from the start, and the transient fault that stopped it.</summary>
    private readonly record struct Delivery(int Settled, Exception? Fault);

    /// <summary>Sends reports in order, in batches where the server takes them; stops at the first transient fault.</summary>
    private async Task<Delivery> DeliverAsync(List<JobReport> reports, BotSession session, bool fromOutbox, CancellationToken cancellationToken)
    {
        var handled = 0;
        var singly = false;
        while (handled < reports.Count)
        {
            var batch = _batchReports && !singly ? _api as IJobReportBatchClient : null;
            var chunk = reports.GetRange(handled, batch is null ? 1 : Math.Min(MaxReportsPerBatch, reports.Count - handled));
            try
            {
                if (batch is not null && chunk.Count > 1)
                {
                    await SendBatchAsync(batch, chunk, session, cancellationToken);
                }
                else
                {
                    await SendOneAsync(chunk[0], session, cancellationToken);
                }
            }
            catch (JobApiException ex) when (batch is not null && ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                // A server without POST /v1/jobs/reports: one report at a time from now on.
                _batchReports = false;
                LogReportBatchUnsupported(_botKey);
                continue;
            }
            catch (JobApiException ex) when ((IsServerError(ex) || ex.StatusCode == HttpStatusCode.RequestEntityTooLarge) && chunk.Count > 1)
            {
                // One bad (or too large) report can fail a whole batch: go on one by one, so it can be told apart.
                singly = true;
                continue;
            }
            catch (JobApiException ex) when (fromOutbox && IsServerError(ex) && IsPoison(chunk[0]))
            {
                Quarantine(chunk[0], $"undeliverable: the server answered {(int)ex.StatusCode!} to it {_poisonReportThreshold} times in a row ({ex.Message})");
                handled++;
                continue;
            }
            catch (Exception ex)
            {
                return new Delivery(handled, ex);
            }

            handled += chunk.Count;
        }

        return new Delivery(handled, null);
    }

    /// <summary>Sends one report; it is settled (delivered, dropped or quarantined) unless this throws a transient fault.</summary>
    private async Task SendOneAsync(JobReport report, BotSession session, CancellationToken cancellationToken)
    {
        try
        {
            var started = _time.GetTimestamp();
            var delivery = await _api.SendAsync(report, session.AccessToken, cancellationToken);
            _metrics?.ReportCall(_time.GetElapsedTime(started));
            Settled(report, delivery switch
            {
                ReportDelivery.Accepted => ReportItemStatuses.Accepted,
                ReportDelivery.NotFound => ReportItemStatuses.NotFound,
                _ => ReportItemStatuses.Conflict,
            });
            if (delivery != ReportDelivery.Accepted)
            {
                Interlocked.Increment(ref _reportsDropped);
                LogReportRefused(_botKey, report.JobId, report.Kind, delivery);
            }
        }
        catch (CorruptReportException ex)
        {
            Quarantine(report, ex.Message);
        }
        catch (JobApiException ex) when (ex.StatusCode == HttpStatusCode.RequestEntityTooLarge && report.Kind == ReportKind.Complete)
        {
            // The result is larger than the server takes (it announced no limit, or a larger one).
            await FailRefusedCompleteAsync(report, ex.Message, $"result refused by the server as too large ({ex.Message})", session, cancellationToken);
        }
        catch (JobApiException ex) when (IsPermanent(ex))
        {
            Drop(report, ex);
        }
    }

    /// <summary>
    /// Sends reports in one call; every one is settled unless this throws (then none is, and a repeat of the ones the
    /// server took is harmless). A complete the server refuses as invalid is followed by a fail for its job.
    /// </summary>
    private async Task SendBatchAsync(IJobReportBatchClient batch, List<JobReport> reports, BotSession session, CancellationToken cancellationToken)
    {
        // Nothing changes until the call is answered: a fault (or a fallback to single reports) leaves the chunk as it was.
        var sendable = new List<JobReport>(reports.Count);
        var items = new List<ReportBatchItem>(reports.Count);
        List<(JobReport Report, CorruptReportException Reason)>? corrupt = null;
        foreach (var report in reports)
        {
            try
            {
                items.Add(report.ToBatchItem());
                sendable.Add(report);
            }
            catch (CorruptReportException ex)
            {
                (corrupt ??= []).Add((report, ex));
            }
        }

        IReadOnlyList<ReportBatchItemResult> results = [];
        try
        {
            if (items.Count > 0)
            {
                var started = _time.GetTimestamp();
                results = await batch.ReportBatchAsync(items, session.AccessToken, cancellationToken);
                _metrics?.ReportCall(_time.GetElapsedTime(started));
            }
        }
        catch (JobApiException ex) when (IsPermanent(ex) && ex.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.RequestEntityTooLarge))
        {
            sendable.ForEach(report => Drop(report, ex));
            sendable.Clear();
        }

        corrupt?.ForEach(c => Quarantine(c.Report, c.Reason.Message));

        for (var i = 0; i < sendable.Count; i++)
        {
            var status = i < results.Count ? results[i].Status : ReportItemStatuses.Invalid;
            var error = i < results.Count ? results[i].Error : "no result for this item";
            if (status == ReportItemStatuses.Invalid && i < results.Count && sendable[i].Kind == ReportKind.Complete)
            {
                // A result the server cannot take (too large, most likely).
                _metrics?.ReportsSettled(status);
                await FailRefusedCompleteAsync(sendable[i], error ?? status, $"result refused by the server: {error}", session, cancellationToken);
                continue;
            }

            Settled(sendable[i], status);
            if (status == ReportItemStatuses.Accepted)
            {
                continue;
            }

            Interlocked.Increment(ref _reportsDropped);
            LogReportItemRefused(_botKey, sendable[i].JobId, sendable[i].Kind, status, error);
        }
    }

    /// <summary>
    /// A complete the server refused for its result: the job failed, and the server must hear so, or the job stays
    /// leased until its lease runs out and then runs again.
    /// </summary>
    private Task FailRefusedCompleteAsync(JobReport complete, string reason, string error, BotSession session, CancellationToken cancellationToken)
    {
        LogResultRefused(_botKey, complete.JobId, reason);
        var fail = JobReport.Fail(complete.JobId, complete.InstanceId, error);
        MoveTrace(complete, fail);
        return SendOneAsync(fail, session, cancellationToken);
    }

    private void Quarantine(JobReport report, string reason)
    {
        lock (_state.Gate)
        {
            _state.Quarantine.Add(new QuarantinedReport(report, reason, _time.GetUtcNow()));
            _state.MarkDirty();
        }

        Settled(report, QuarantinedResult);
        LogReportQuarantined(_botKey, report.JobId, reason);
    }

    private void Drop(JobReport report, JobApiException ex)
    {
        Interlocked.Increment(ref _reportsDropped);
        Settled(report, DroppedResult);
        LogReportRejected(_botKey, report.JobId, report.Kind, ex.StatusCode, ex);
    }

    /// <summary>A report left the pipeline (delivered, refused, dropped or quarantined): counted, and its job's span ended.</summary>
    private void Settled(JobReport report, string status)
    {
        _metrics?.ReportsSettled(status);
        if (Volatile.Read(ref _tracedReports) == 0)
        {
            return;
        }

        JobTrace? trace;
        lock (_state.Gate)
        {
            _traces.Remove(report, out trace);
            _tracedReports = _traces.Count;
        }

        trace?.Settled(status, _time.GetUtcNow());
    }

    /// <summary>The job's span goes on with the report sent in place of <paramref name="from"/>.</summary>
    private void MoveTrace(JobReport from, JobReport to)
    {
        if (Volatile.Read(ref _tracedReports) == 0)
        {
            return;
        }

        lock (_state.Gate)
        {
            if (_traces.Remove(from, out var trace))
            {
                _traces[to] = trace;
            }
        }
    }

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

    // A server that answers, but with an error, to the same report every time: that report is the problem.
    // 429 and 503 say "later", and a server that cannot be reached says nothing about the report.
    private static bool IsServerError(JobApiException ex) =>
        ex.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;

    // A 401 is transient for a report: the bot registers again and the report waits in the outbox.
    private static bool IsPermanent(JobApiException ex) => !ex.IsTransient && ex.StatusCode != HttpStatusCode.Unauthorized;

    private static bool IsShutdown(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
}

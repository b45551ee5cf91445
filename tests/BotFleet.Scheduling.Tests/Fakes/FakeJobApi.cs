using System.Net;
using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>
/// An in-memory job server for scheduler tests: hands out queued jobs on claim, records
/// every call in order, and fails calls on demand.
/// </summary>
public sealed class FakeJobApi : IJobApiClient, IJobReportBatchClient
{
    private readonly Lock _gate = new();
    private readonly LinkedList<JsonElement> _queue = new();
    private readonly List<ApiCall> _calls = [];
    private readonly List<ReportCall> _accepted = [];
    private long _acceptedCount;

    public string BotId { get; set; } = "bot_test";

    /// <summary>The assignment's operations; null (the default) assigns what the bot offers.</summary>
    public IReadOnlyList<string>? AssignedOperations { get; set; }

    /// <summary>The assignment's max_concurrency; high by default so the bot's own limit governs.</summary>
    public int AssignedMaxConcurrency { get; set; } = 1000;

    public int ConfigClaimBatchSize { get; set; } = 100;

    /// <summary>The config.max_claim_wait_ms the fake announces; null, as from a server without long polling, by default.</summary>
    public int? ConfigMaxClaimWaitMs { get; set; }

    /// <summary>The config.max_result_bytes the fake announces; null, as from a server that names no limit, by default.</summary>
    public int? ConfigMaxResultBytes { get; set; }

    /// <summary>
    /// Largest result the fake takes, as the real server checks it: a larger single complete answers 413, a larger
    /// batch item comes back "invalid". Null: no limit.
    /// </summary>
    public int? MaxResultBytes { get; set; }

    /// <summary>
    /// False to keep no record of calls and accepted reports (only <see cref="AcceptedCount"/>), so a long run's memory
    /// is the bot's alone.
    /// </summary>
    public bool KeepHistory { get; set; } = true;

    /// <summary>Reports accepted so far, kept or not.</summary>
    public long AcceptedCount => Interlocked.Read(ref _acceptedCount);

    /// <summary>Answer registration with only the fields the contract requires (no config, endpoints, refresh token, paused).</summary>
    public bool MinimalRegistration { get; set; }

    /// <summary>When set, returned by claim instead of the queue (for misbehaving servers, or one that holds a claim).</summary>
    public Func<ClaimRequest, Task<ClaimResponse<JsonElement>>>? ClaimOverride { get; set; }

    /// <summary>Return an exception to throw for a claim; null to serve it.</summary>
    public Func<ClaimRequest, Exception?> ClaimFault { get; set; } = _ => null;

    /// <summary>Return an exception to throw for a report; null to accept it.</summary>
    public Func<ReportCall, Exception?> ReportFault { get; set; } = _ => null;

    /// <summary>Answer for reports that are not faulted.</summary>
    public Func<ReportCall, ReportDelivery> ReportAnswer { get; set; } = _ => ReportDelivery.Accepted;

    public Exception? RegisterFault { get; set; }

    /// <summary>The heartbeat answer; by default leases are extended to nothing in particular and no assignment changes.</summary>
    public Func<HeartbeatRequest, HeartbeatResponse> HeartbeatAnswer { get; set; } = _ => new HeartbeatResponse(DateTimeOffset.UnixEpoch);

    public Exception? HeartbeatFault { get; set; }

    /// <summary>Whether the fake offers POST /v1/jobs/reports; without it a batch gets 404, as from an older server.</summary>
    public bool OffersBatchReports { get; set; }

    /// <summary>Return an exception to fail a whole batch call; null to answer it item by item.</summary>
    public Func<IReadOnlyList<ReportBatchItem>, Exception?> BatchFault { get; set; } = _ => null;

    /// <summary>Awaited by every report call (single or batch) after it is recorded: hold it to let reports pile up behind one on the wire.</summary>
    public Task ReportGate { get; set; } = Task.CompletedTask;

    public IReadOnlyList<ApiCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<ClaimCall> Claims => [.. Calls.OfType<ClaimCall>()];

    /// <summary>Reports the server accepted, in the order it accepted them.</summary>
    public IReadOnlyList<ReportCall> Accepted
    {
        get
        {
            lock (_gate)
            {
                return [.. _accepted];
            }
        }
    }

    public int QueuedJobs
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public static JobApiException ServerError(HttpStatusCode status = HttpStatusCode.InternalServerError, TimeSpan? retryAfter = null) =>
        new($"job API answered {(int)status}", status, isTransient: true, retryAfter);

    public static JobApiException Unreachable() => new("connection refused", null, isTransient: true);

    /// <summary>Queues a well-formed job and returns its id.</summary>
    public string Enqueue(string op, object payload, string? id = null)
    {
        id ??= $"job_{Guid.NewGuid():N}";
        EnqueueRaw(new { id, op, payload, lease_until = "2030-01-01T00:00:00Z", attempt = 1 });
        return id;
    }

    /// <summary>Queues any JSON value as a job, malformed ones included.</summary>
    public void EnqueueRaw(object job)
    {
        var element = job is JsonElement json ? json : JsonSerializer.SerializeToElement(job);
        lock (_gate)
        {
            _queue.AddLast(element);
        }
    }

    public void ClearCalls()
    {
        lock (_gate)
        {
            _calls.Clear();
        }
    }

    public Task<RegisterBotResponse> RegisterAsync(RegisterBotRequest request, CancellationToken cancellationToken)
    {
        Record(new RegisterCall(request));
        if (RegisterFault is { } fault)
        {
            throw fault;
        }

        if (MinimalRegistration)
        {
            return Task.FromResult(new RegisterBotResponse(
                BotId,
                new BotAuth("token-" + request.InstanceId),
                new BotAssignment(AssignedOperations ?? request.Capabilities, AssignedMaxConcurrency)));
        }

        return Task.FromResult(new RegisterBotResponse(
            BotId,
            new BotAuth("token-" + request.InstanceId, "refresh", 3600),
            new BotAssignment(AssignedOperations ?? request.Capabilities, AssignedMaxConcurrency, Paused: false),
            new BotConfig(30, ConfigClaimBatchSize, 300, ConfigMaxClaimWaitMs, ConfigMaxResultBytes),
            new BotEndpoints("/v1/bots/{bot_id}/heartbeat", "/v1/jobs/claim", "/v1/jobs/{job_id}/{action}")));
    }

    public Task<HeartbeatResponse> HeartbeatAsync(string botId, HeartbeatRequest request, string accessToken, CancellationToken cancellationToken)
    {
        Record(new HeartbeatCall(botId, request));
        return HeartbeatFault is { } fault ? Task.FromException<HeartbeatResponse>(fault) : Task.FromResult(HeartbeatAnswer(request));
    }

    public Task<ClaimResponse<JsonElement>> ClaimAsync(ClaimRequest request, string accessToken, CancellationToken cancellationToken)
    {
        Record(new ClaimCall(request.BotId, request.Operations, request.Limit, request.WaitMs, request.ClaimId));
        if (ClaimFault(request) is { } fault)
        {
            throw fault;
        }

        if (ClaimOverride is { } claimOverride)
        {
            // As a real call, the bot's token ends the wait for an answer that has not come.
            return claimOverride(request).WaitAsync(cancellationToken);
        }

        // Like a real server, hand out only jobs for the requested operations (malformed jobs go to anyone).
        var jobs = new List<JsonElement>();
        lock (_gate)
        {
            // Oldest first; a job of another operation keeps its place. Stops at the limit, so a long queue costs little.
            for (var node = _queue.First; node is not null && jobs.Count < request.Limit;)
            {
                var next = node.Next;
                var job = node.Value;
                var matches = job.ValueKind != JsonValueKind.Object
                    || !job.TryGetProperty("op", out var op)
                    || op.ValueKind != JsonValueKind.String
                    || request.Operations.Contains(op.GetString()!);
                if (matches)
                {
                    jobs.Add(job);
                    _queue.Remove(node);
                }

                node = next;
            }
        }

        return Task.FromResult(new ClaimResponse<JsonElement>(jobs));
    }

    public Task<ReportDelivery> CompleteAsync(string jobId, CompleteRequest request, string accessToken, CancellationToken cancellationToken) =>
        Report(new ReportCall(jobId, "complete", request.InstanceId, request.Result.GetRawText(), null));

    public Task<ReportDelivery> FailAsync(string jobId, FailRequest request, string accessToken, CancellationToken cancellationToken) =>
        Report(new ReportCall(jobId, "fail", request.InstanceId, null, request.Error));

    public async Task<IReadOnlyList<ReportBatchItemResult>> ReportBatchAsync(IReadOnlyList<ReportBatchItem> reports, string accessToken, CancellationToken cancellationToken)
    {
        if (!OffersBatchReports)
        {
            throw new JobApiException("job API answered 404", HttpStatusCode.NotFound, isTransient: false);
        }

        Record(new BatchCall(reports.Count, [.. reports.Select(r => r.JobId)]));
        await ReportGate;
        if (BatchFault(reports) is { } fault)
        {
            throw fault;
        }

        var results = new List<ReportBatchItemResult>(reports.Count);
        foreach (var item in reports)
        {
            var call = new ReportCall(item.JobId, item.Action, item.InstanceId, item.Result?.GetRawText(), item.Error);
            if (TooLarge(call) is { } tooLarge)
            {
                results.Add(new ReportBatchItemResult(item.JobId, ReportItemStatuses.Invalid, tooLarge));
                continue;
            }

            var answer = ReportAnswer(call);
            if (answer == ReportDelivery.Accepted)
            {
                lock (_gate)
                {
                    Accept(call);
                }
            }

            results.Add(new ReportBatchItemResult(item.JobId, answer switch
            {
                ReportDelivery.Accepted => ReportItemStatuses.Accepted,
                ReportDelivery.Conflict => ReportItemStatuses.Conflict,
                _ => ReportItemStatuses.NotFound,
            }));
        }

        return results;
    }

    private async Task<ReportDelivery> Report(ReportCall call)
    {
        Record(call);
        await ReportGate;
        if (ReportFault(call) is { } fault)
        {
            throw fault;
        }

        if (TooLarge(call) is { } tooLarge)
        {
            throw new JobApiException($"Job API complete answered 413 Payload Too Large: {tooLarge}", HttpStatusCode.RequestEntityTooLarge, isTransient: false);
        }

        var answer = ReportAnswer(call);
        if (answer == ReportDelivery.Accepted)
        {
            lock (_gate)
            {
                Accept(call);
            }
        }

        return answer;
    }

    /// <summary>The real server's words for a result above <see cref="MaxResultBytes"/>, or null.</summary>
    private string? TooLarge(ReportCall call) =>
        call.Result is { } result && MaxResultBytes is { } limit && System.Text.Encoding.UTF8.GetByteCount(result) is var bytes && bytes > limit
            ? $"Field 'result' is {bytes} bytes; at most {limit} are accepted."
            : null;

    // Called under _gate.
    private void Accept(ReportCall call)
    {
        _acceptedCount++;
        if (KeepHistory)
        {
            _accepted.Add(call);
        }
    }

    private void Record(ApiCall call)
    {
        lock (_gate)
        {
            if (!KeepHistory)
            {
                return;
            }

            _calls.Add(call);
        }
    }
}

using System.Net;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// Gathers the heartbeats of one silo's bots for <see cref="SchedulerOptions.HeartbeatBatchWindow"/> and sends them
/// as one POST /v1/bots/heartbeats: an idle fleet of 10,000 bots heartbeating every 30 s then costs the server a few
/// requests a second instead of 333. Each bot still gets its own answer, exactly as the single heartbeat gives it
/// (its response, or a <see cref="JobApiException"/> with the status the single call would have).
/// </summary>
/// <remarks>
/// A server without the batch (404 or 405) is sent single heartbeats from then on, as is a batch the server finds too
/// large (413). A batch that fails as a whole (no answer, 5xx) fails each of its heartbeats with that fault: each bot
/// tries again at its next interval, as after a failed single heartbeat. Thread-safe.
/// </remarks>
public sealed partial class HeartbeatCoalescer : IDisposable
{
    /// <summary>The server's limit on heartbeats per batch.</summary>
    public const int MaxHeartbeatsPerBatch = 1_000;

    /// <summary>The server's limit on running jobs listed across one batch.</summary>
    public const int MaxRunningJobsPerBatch = 10_000;

    private readonly Lock _gate = new();
    private readonly IJobApiClient _api;
    private readonly IJobHeartbeatBatchClient? _batchClient;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly ILogger<HeartbeatCoalescer> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private List<Pending> _pending = [];
    private int _pendingRunningJobs;
    private ITimer? _windowTimer;
    private volatile bool _batchUnsupported;
    private long _batchesSent;

    /// <param name="time">The clock of the batching window only; a bot's heartbeat interval is its grain's.</param>
    public HeartbeatCoalescer(IJobApiClient api, IOptions<SchedulerOptions> options, TimeProvider time, ILogger<HeartbeatCoalescer> logger)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        _api = api;
        _batchClient = api as IJobHeartbeatBatchClient;
        _window = options.Value.HeartbeatBatchWindow;
        _time = time;
        _logger = logger;
        // Read once: a batch still in flight at Dispose must see the cancellation, not a disposed source.
        _stoppingToken = _stopping.Token;
    }

    /// <summary>Heartbeat batches the server answered, for tests and diagnostics.</summary>
    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    /// <summary>The single heartbeat's call, answered once this bot's batch is.</summary>
    public Task<HeartbeatResponse> HeartbeatAsync(string botId, HeartbeatRequest request, string accessToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(botId);
        ArgumentNullException.ThrowIfNull(request);
        if (_batchClient is null || _window <= TimeSpan.Zero || _batchUnsupported || request.Running.Count > MaxRunningJobsPerBatch)
        {
            return _api.HeartbeatAsync(botId, request, accessToken, cancellationToken);
        }

        var pending = new Pending(
            new HeartbeatBatchItem(botId, accessToken, request.InstanceId, request.Running, request.Health),
            request,
            new TaskCompletionSource<HeartbeatResponse>(TaskCreationOptions.RunContinuationsAsynchronously));
        List<Pending>? full = null;
        lock (_gate)
        {
            if (_pendingRunningJobs + request.Running.Count > MaxRunningJobsPerBatch)
            {
                full = TakePending();
            }

            _pending.Add(pending);
            _pendingRunningJobs += request.Running.Count;
            // After a flush for running jobs only the new item is pending, so the count cannot be full too.
            if (full is null && _pending.Count >= MaxHeartbeatsPerBatch)
            {
                full = TakePending();
            }
            else if (_windowTimer is null)
            {
                _windowTimer = _time.CreateTimer(static state => ((HeartbeatCoalescer)state!).OnWindowEnded(), this, _window, Timeout.InfiniteTimeSpan);
            }
        }

        if (full is not null)
        {
            // Off the caller's (grain's) turn: the batch's call and its answers belong to no bot.
            _ = Task.Run(() => SendAsync(full), CancellationToken.None);
        }

        return cancellationToken.CanBeCanceled ? pending.Answer.Task.WaitAsync(cancellationToken) : pending.Answer.Task;
    }

    public void Dispose()
    {
        List<Pending> left;
        lock (_gate)
        {
            left = TakePending();
        }

        _stopping.Cancel();
        foreach (var pending in left)
        {
            pending.Answer.TrySetCanceled(_stoppingToken);
        }

        _stopping.Dispose();
    }

    private void OnWindowEnded()
    {
        List<Pending> batch;
        lock (_gate)
        {
            batch = TakePending();
        }

        if (batch.Count > 0)
        {
            _ = SendAsync(batch);
        }
    }

    /// <summary>Takes what is gathered and ends the window; under the lock.</summary>
    private List<Pending> TakePending()
    {
        var taken = _pending;
        _pending = [];
        _pendingRunningJobs = 0;
        _windowTimer?.Dispose();
        _windowTimer = null;
        return taken;
    }

    private async Task SendAsync(List<Pending> batch)
    {
        if (batch.Count == 1 || _batchUnsupported)
        {
            await Task.WhenAll(batch.Select(SendOneAsync));
            return;
        }

        IReadOnlyList<HeartbeatBatchItemResult> results;
        try
        {
            results = await _batchClient!.HeartbeatBatchAsync(batch.ConvertAll(p => p.Item), _stoppingToken);
            Interlocked.Increment(ref _batchesSent);
        }
        catch (JobApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            _batchUnsupported = true;
            LogBatchUnsupported(_logger, (int)ex.StatusCode!);
            await Task.WhenAll(batch.Select(SendOneAsync));
            return;
        }
        catch (JobApiException ex) when (ex.StatusCode is HttpStatusCode.RequestEntityTooLarge)
        {
            LogBatchTooLarge(_logger, batch.Count);
            await Task.WhenAll(batch.Select(SendOneAsync));
            return;
        }
        catch (Exception ex)
        {
            LogBatchFailed(_logger, batch.Count, ex);
            foreach (var pending in batch)
            {
                pending.Answer.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            Answer(batch[i], results[i]);
        }
    }

    private async Task SendOneAsync(Pending pending)
    {
        try
        {
            var item = pending.Item;
            pending.Answer.TrySetResult(await _api.HeartbeatAsync(item.BotId, pending.Request, item.AccessToken, _stoppingToken));
        }
        catch (Exception ex)
        {
            pending.Answer.TrySetException(ex);
        }
    }

    /// <summary>An item's result as the single heartbeat would have answered it.</summary>
    private static void Answer(Pending pending, HeartbeatBatchItemResult result)
    {
        var botId = pending.Item.BotId;
        var status = result.Status switch
        {
            HeartbeatItemStatuses.Ok when result.LeaseExtendedTo is not null => (HttpStatusCode?)null,
            HeartbeatItemStatuses.Unauthorized => HttpStatusCode.Unauthorized,
            HeartbeatItemStatuses.Forbidden => HttpStatusCode.Forbidden,
            HeartbeatItemStatuses.NotFound => HttpStatusCode.NotFound,
            HeartbeatItemStatuses.Invalid => HttpStatusCode.BadRequest,
            _ => HttpStatusCode.BadGateway,
        };
        if (status is null)
        {
            pending.Answer.TrySetResult(new HeartbeatResponse(result.LeaseExtendedTo!.Value, result.Assignment, result.Leases, result.Cancel));
            return;
        }

        var message = status == HttpStatusCode.BadGateway
            ? $"Job API heartbeat batch: the server answered bot {botId}'s heartbeat with status '{result.Status}' and no lease_extended_to."
            : $"Job API heartbeat for bot {botId} refused ({(int)status}, {result.Status}): {result.Error}";
        pending.Answer.TrySetException(new JobApiException(message, status, isTransient: status == HttpStatusCode.BadGateway));
    }

    private sealed record Pending(HeartbeatBatchItem Item, HeartbeatRequest Request, TaskCompletionSource<HeartbeatResponse> Answer);
}

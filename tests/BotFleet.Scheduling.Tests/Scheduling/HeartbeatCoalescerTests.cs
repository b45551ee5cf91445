using System.Text.Json;
using System.Collections.Concurrent;
using System.Net;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.Scheduling.Tests.Scheduling;

public sealed class HeartbeatCoalescerTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);
    private static readonly DateTimeOffset LeaseEnd = new(2026, 1, 1, 0, 5, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new();
    private readonly HeartbeatServer _server = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HeartbeatsWithinTheWindow_GoOutAsOneBatch_EachAnsweredItsOwn()
    {
        using var coalescer = Create();
        _server.Answer = item => item.BotId == "bot_b"
            ? new(item.BotId, HeartbeatItemStatuses.Ok, null, LeaseEnd, new BotAssignment(["sum"], 2, Paused: true), [])
            : new(item.BotId, HeartbeatItemStatuses.Ok, null, LeaseEnd, null, [.. item.Running.Select(r => new JobLease(r.JobId, LeaseEnd))]);

        var a = coalescer.HeartbeatAsync("bot_a", Request("job_1", "job_2"), "token_a", Token);
        var b = coalescer.HeartbeatAsync("bot_b", Request() with { Health = new BotHealth(3, "claim failed") }, "token_b", Token);
        _time.Advance(Window - TimeSpan.FromMilliseconds(1));
        var c = coalescer.HeartbeatAsync("bot_c", Request("job_3"), "token_c", Token);
        Assert.Empty(_server.Batches);
        Assert.False(a.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([new JobLease("job_1", LeaseEnd), new JobLease("job_2", LeaseEnd)], (await a).Leases!);
        var assignment = Assert.IsType<BotAssignment>((await b).Assignment);
        Assert.Equal(["sum"], assignment.Operations);
        Assert.Equal((2, true), (assignment.MaxConcurrency, assignment.Paused));
        Assert.Equal([new JobLease("job_3", LeaseEnd)], (await c).Leases!);
        var batch = Assert.Single(_server.Batches);
        Assert.Equal([("bot_a", "token_a", 2), ("bot_b", "token_b", 0), ("bot_c", "token_c", 1)], batch.Select(i => (i.BotId, i.AccessToken, i.Running.Count)));
        Assert.Equal([null, new BotHealth(3, "claim failed"), null], batch.Select(i => i.Health));
        Assert.Equal(0, _server.SingleCalls);
        Assert.Equal(1, coalescer.BatchesSent);
    }

    [Fact]
    public async Task RefusedItems_FailAsTheSingleHeartbeatWouldHave()
    {
        using var coalescer = Create();
        var statuses = new Dictionary<string, string>
        {
            ["bot_401"] = HeartbeatItemStatuses.Unauthorized,
            ["bot_403"] = HeartbeatItemStatuses.Forbidden,
            ["bot_404"] = HeartbeatItemStatuses.NotFound,
            ["bot_400"] = HeartbeatItemStatuses.Invalid,
            ["bot_ok"] = HeartbeatItemStatuses.Ok,
        };
        _server.Answer = item => item.BotId == "bot_ok"
            ? new(item.BotId, HeartbeatItemStatuses.Ok, null, LeaseEnd, null, [])
            : new(item.BotId, statuses[item.BotId], "refused: " + item.BotId);

        var beats = statuses.Keys.ToDictionary(bot => bot, bot => coalescer.HeartbeatAsync(bot, Request(), "t", Token));
        _time.Advance(Window);

        Assert.Equal(LeaseEnd, (await beats["bot_ok"]).LeaseExtendedTo);
        foreach (var (bot, status) in new[] { ("bot_401", HttpStatusCode.Unauthorized), ("bot_403", HttpStatusCode.Forbidden), ("bot_404", HttpStatusCode.NotFound), ("bot_400", HttpStatusCode.BadRequest) })
        {
            var refused = await Assert.ThrowsAsync<JobApiException>(() => beats[bot]);
            Assert.Equal((status, false), (refused.StatusCode, refused.IsTransient));
            Assert.Contains("refused: " + bot, refused.Message, StringComparison.Ordinal);
        }

        Assert.Single(_server.Batches);
    }

    [Fact]
    public async Task ServerWithoutTheBatch_GetsSingleHeartbeatsFromThenOn()
    {
        using var coalescer = Create();
        _server.BatchFault = new JobApiException("no such endpoint", HttpStatusCode.NotFound, isTransient: false);

        var first = coalescer.HeartbeatAsync("bot_a", Request("job_1"), "token_a", Token);
        var second = coalescer.HeartbeatAsync("bot_b", Request(), "token_b", Token);
        _time.Advance(Window);
        await Task.WhenAll(first, second);
        // No window any more: the heartbeat goes out at once, alone.
        var later = await coalescer.HeartbeatAsync("bot_c", Request(), "token_c", Token);

        Assert.Equal([new JobLease("job_1", LeaseEnd)], (await first).Leases!);
        Assert.Equal(LeaseEnd, later.LeaseExtendedTo);
        Assert.Single(_server.Batches);
        Assert.Equal(3, _server.SingleCalls);
        Assert.Equal(0, coalescer.BatchesSent);
    }

    [Fact]
    public async Task BatchWithoutAnswer_FailsEveryHeartbeatInIt_AndTheNextWindowBatchesAgain()
    {
        using var coalescer = Create();
        var fault = new JobApiException("connection refused", null, isTransient: true);
        _server.BatchFault = fault;

        var a = coalescer.HeartbeatAsync("bot_a", Request(), "t", Token);
        var b = coalescer.HeartbeatAsync("bot_b", Request(), "t", Token);
        _time.Advance(Window);

        Assert.Same(fault, await Assert.ThrowsAsync<JobApiException>(() => a));
        Assert.Same(fault, await Assert.ThrowsAsync<JobApiException>(() => b));
        _server.BatchFault = null;
        var c = coalescer.HeartbeatAsync("bot_a", Request(), "t", Token);
        var d = coalescer.HeartbeatAsync("bot_b", Request(), "t", Token);
        _time.Advance(Window);
        await Task.WhenAll(c, d);
        Assert.Equal([2, 2], _server.Batches.Select(batch => batch.Count));
        Assert.Equal(0, _server.SingleCalls);
    }

    [Fact]
    public async Task AThousandHeartbeats_GoOutWithoutWaitingForTheWindow()
    {
        using var coalescer = Create();

        var beats = Enumerable.Range(0, HeartbeatCoalescer.MaxHeartbeatsPerBatch + 1)
            .Select(i => coalescer.HeartbeatAsync($"bot_{i}", Request(), "t", Token))
            .ToList();
        await Task.WhenAll(beats.Take(HeartbeatCoalescer.MaxHeartbeatsPerBatch));

        Assert.False(beats[^1].IsCompleted);
        _time.Advance(Window);
        await beats[^1];
        // A window that gathers a single heartbeat sends it as one.
        Assert.Equal([HeartbeatCoalescer.MaxHeartbeatsPerBatch], _server.Batches.Select(batch => batch.Count));
        Assert.Equal(1, _server.SingleCalls);
    }

    [Fact]
    public async Task RunningJobsOverTheBatchLimit_SendWhatIsGathered_AndStartANewBatch()
    {
        using var coalescer = Create();
        var jobs = Enumerable.Range(0, 3_000).Select(i => $"job_{i}").ToArray();

        var beats = Enumerable.Range(0, 5).Select(i => coalescer.HeartbeatAsync($"bot_{i}", Request(jobs), "t", Token)).ToList();
        await Task.WhenAll(beats.Take(3));
        Assert.False(beats[3].IsCompleted);
        _time.Advance(Window);
        await Task.WhenAll(beats);

        Assert.Equal([(3, 9_000), (2, 6_000)], _server.Batches.Select(batch => (batch.Count, batch.Sum(i => i.Running.Count))));
    }

    [Fact]
    public async Task ZeroWindow_SendsEveryHeartbeatAlone()
    {
        using var coalescer = Create(TimeSpan.Zero);

        var response = await coalescer.HeartbeatAsync("bot_a", Request("job_1"), "t", Token);

        Assert.Equal([new JobLease("job_1", LeaseEnd)], response.Leases!);
        Assert.Empty(_server.Batches);
        Assert.Equal(1, _server.SingleCalls);
    }

    [Fact]
    public async Task Dispose_CancelsHeartbeatsStillGathering()
    {
        var coalescer = Create();
        var waiting = coalescer.HeartbeatAsync("bot_a", Request(), "t", Token);

        coalescer.Dispose();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        _time.Advance(Window);
        Assert.Empty(_server.Batches);
    }

    private HeartbeatCoalescer Create(TimeSpan? window = null) =>
        new(_server, Options.Create(new SchedulerOptions { HeartbeatBatchWindow = window ?? Window }), _time, NullLogger<HeartbeatCoalescer>.Instance);

    private static HeartbeatRequest Request(params string[] running) =>
        new("instance", [.. running.Select(id => new RunningJob(id, "sum", 10, null))]);

    /// <summary>A job server's heartbeat endpoints, single and batched; every other call is not for these tests.</summary>
    private sealed class HeartbeatServer : IJobApiClient, IJobHeartbeatBatchClient
    {
        private int _singleCalls;

        public ConcurrentQueue<IReadOnlyList<HeartbeatBatchItem>> Batches { get; } = new();

        public int SingleCalls => Volatile.Read(ref _singleCalls);

        public Func<HeartbeatBatchItem, HeartbeatBatchItemResult> Answer { get; set; } =
            item => new(item.BotId, HeartbeatItemStatuses.Ok, null, LeaseEnd, null, [.. item.Running.Select(r => new JobLease(r.JobId, LeaseEnd))]);

        public JobApiException? BatchFault { get; set; }

        public Task<IReadOnlyList<HeartbeatBatchItemResult>> HeartbeatBatchAsync(IReadOnlyList<HeartbeatBatchItem> heartbeats, CancellationToken cancellationToken)
        {
            Batches.Enqueue(heartbeats);
            return BatchFault is { } fault
                ? Task.FromException<IReadOnlyList<HeartbeatBatchItemResult>>(fault)
                : Task.FromResult<IReadOnlyList<HeartbeatBatchItemResult>>([.. heartbeats.Select(Answer)]);
        }

        public Task<HeartbeatResponse> HeartbeatAsync(string botId, HeartbeatRequest request, string accessToken, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _singleCalls);
            return Task.FromResult(new HeartbeatResponse(LeaseEnd, null, [.. request.Running.Select(r => new JobLease(r.JobId, LeaseEnd))]));
        }

        public Task<RegisterBotResponse> RegisterAsync(RegisterBotRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ClaimResponse<JsonElement>> ClaimAsync(ClaimRequest request, string accessToken, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ReportDelivery> CompleteAsync(string jobId, CompleteRequest request, string accessToken, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ReportDelivery> FailAsync(string jobId, FailRequest request, string accessToken, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

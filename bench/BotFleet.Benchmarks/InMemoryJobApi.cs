using System.Collections.Concurrent;
using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Benchmarks;

/// <summary>A job server in memory: the benchmarks measure the bot's own cost, not HTTP or a database.</summary>
public sealed class InMemoryJobApi : IJobApiClient
{
    private readonly ConcurrentQueue<JsonElement> _queue = new();
    private long _reports;

    public long Reports => Interlocked.Read(ref _reports);

    public bool IsEmpty => _queue.IsEmpty;

    public void Fill(int jobs)
    {
        for (var i = 0; i < jobs; i++)
        {
            _queue.Enqueue(JsonSerializer.SerializeToElement(new { id = $"job_{i}", op = "sum", payload = new { a = i, b = 1 }, attempt = 1 }));
        }
    }

    public Task<RegisterBotResponse> RegisterAsync(RegisterBotRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new RegisterBotResponse(
            "bot_bench",
            new BotAuth("token", "refresh", 3600),
            new BotAssignment(request.Capabilities, 1000, false),
            new BotConfig(30, 100, 300),
            new BotEndpoints("", "", "")));

    public Task<HeartbeatResponse> HeartbeatAsync(string botId, HeartbeatRequest request, string accessToken, CancellationToken cancellationToken) =>
        Task.FromResult(new HeartbeatResponse(DateTimeOffset.UnixEpoch));

    public Task<ClaimResponse<JsonElement>> ClaimAsync(ClaimRequest request, string accessToken, CancellationToken cancellationToken)
    {
        var jobs = new List<JsonElement>(request.Limit);
        while (jobs.Count < request.Limit && _queue.TryDequeue(out var job))
        {
            jobs.Add(job);
        }

        return Task.FromResult(new ClaimResponse<JsonElement>(jobs));
    }

    public Task<ReportDelivery> CompleteAsync(string jobId, CompleteRequest request, string accessToken, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reports);
        return Task.FromResult(ReportDelivery.Accepted);
    }

    public Task<ReportDelivery> FailAsync(string jobId, FailRequest request, string accessToken, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reports);
        return Task.FromResult(ReportDelivery.Accepted);
    }
}

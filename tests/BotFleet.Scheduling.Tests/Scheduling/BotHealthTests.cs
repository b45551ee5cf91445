using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>Each heartbeat tells the server how the bot is doing: its outbox and the error it is stuck on, for operators.</summary>
public sealed class BotHealthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Heartbeat_CarriesTheOutboxSizeAndTheErrorTheBotIsStuckOn_ThenNoneOnceItRecovered()
    {
        await using var h = new SchedulerHarness();
        h.Api.Enqueue("sum", new { a = 1, b = 2 });
        h.Api.Enqueue("sum", new { a = 3, b = 4 });
        h.Api.ReportFault = _ => FakeJobApi.Unreachable();
        await h.TickAndDrainAsync();

        await h.Scheduler.HeartbeatAsync(Ct);
        var stuck = h.Api.Calls.OfType<HeartbeatCall>().Last().Request.Health;
        h.Api.ReportFault = _ => null;
        await h.TickAndDrainAsync();
        await h.Scheduler.HeartbeatAsync(Ct);
        var recovered = h.Api.Calls.OfType<HeartbeatCall>().Last().Request.Health;

        Assert.Equal(new BotHealth(2, "connection refused"), stuck);
        Assert.Equal(2, h.Api.Accepted.Count);
        Assert.Equal(new BotHealth(0, null), recovered);
    }

    [Fact]
    public void Of_AnErrorLongerThanTheServerTakes_IsCutToItsLimit()
    {
        var health = BotHealth.Of(1, new string('x', BotHealth.MaxLastErrorLength + 500));

        Assert.Equal(BotHealth.MaxLastErrorLength, health.LastError!.Length);
        Assert.EndsWith("x…", health.LastError, StringComparison.Ordinal);
        Assert.Equal("short", BotHealth.Of(1, "short").LastError);
        Assert.Null(BotHealth.Of(0, null).LastError);
    }
}

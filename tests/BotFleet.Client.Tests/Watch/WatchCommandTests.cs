using System.Collections.Immutable;
using System.Text.Json;
using BotFleet.Client.Tests.Fakes;
using BotFleet.Contracts.Bots;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Client.Tests.Watch;

/// <summary><c>watch</c>: progress, rate and ETA per poll; failed polls survived; --until-drained ending even with stranded jobs.</summary>
public sealed class WatchCommandTests
{
    private readonly CliHarness _cli = new();

    public WatchCommandTests()
    {
        _cli.Fleet.Client.Status = new()
        {
            TakenAt = DateTimeOffset.UnixEpoch,
            Bots = [new BotStatus { BotKey = "calc", State = BotState.Active, Operations = ["sum"], MaxConcurrency = 4 }],
        };
    }

    [Fact]
    public async Task UntilDrained_PrintsProgressRateAndEtaPerSampleAndExits0()
    {
        var stats = _cli.Jobs.Client.Stats;
        stats.Enqueue(Stats(pending: 8, leased: 2, completed: 0));
        stats.Enqueue(Stats(pending: 4, leased: 2, completed: 4));
        stats.Enqueue(Stats(pending: 0, leased: 0, completed: 10));

        var exit = await _cli.RunAdvancingAsync(TimeSpan.FromSeconds(2), "watch", "--interval", "2s", "--until-drained");

        Assert.Equal(0, exit);
        Assert.Equal(3, _cli.Jobs.Client.StatsCalls);
        var lines = _cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "done 0/10 (0.0%)  pending 8  leased 2  completed 0  dead 0  rate -  eta -  bots 1/1",
                "done 4/10 (40.0%)  pending 4  leased 2  completed 4  dead 0  rate 2.0 jobs/s  eta 3s  bots 1/1",
                "done 10/10 (100.0%)  pending 0  leased 0  completed 10  dead 0  rate 2.5 jobs/s  eta 0s  bots 1/1",
                "Drained: nothing pending or leased.",
            ],
            lines.Select(line => line.Length > 22 && line[20] == ' ' ? line[22..] : line));
    }

    [Fact]
    public async Task UntilDrained_JobsNoRunningBotOffers_EndsAsStrandedWithExit6()
    {
        // "nope" has no bot; a paused bot offering it does not count either.
        _cli.Fleet.Client.Status = _cli.Fleet.Client.Status with
        {
            Bots = [.. _cli.Fleet.Client.Status.Bots, new BotStatus { BotKey = "paused", State = BotState.Paused, Operations = ["nope"], MaxConcurrency = 1 }],
        };
        _cli.Jobs.Client.Stats.Enqueue(Stats(pending: 5, leased: 0, completed: 3, strandedOp: "nope"));

        var exit = await _cli.RunAdvancingAsync(TimeSpan.FromSeconds(1), "watch", "--until-drained");

        Assert.Equal(6, exit);
        var lines = _cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("done 0/0 (100.0%)  pending 5  leased 0  completed 3  dead 0  rate -  eta 0s  bots 1/1  stranded 5", lines[0], StringComparison.Ordinal);
        Assert.Equal("Drained, but 5 jobs are stranded: no running bot offers nope (5).", lines[1]);
    }

    [Fact]
    public async Task FailedPoll_IsShownAndTheWatchGoesOn()
    {
        var stats = _cli.Jobs.Client.Stats;
        stats.Enqueue(Stats(pending: 1, leased: 0, completed: 0));
        stats.Enqueue(new JobApiException("Job API stats: Connection refused (127.0.0.1:5080)", null, isTransient: true));
        stats.Enqueue(Stats(pending: 0, leased: 0, completed: 1));

        var exit = await _cli.RunAdvancingAsync(TimeSpan.FromSeconds(1), "watch", "--until-drained");

        Assert.Equal(0, exit);
        var lines = _cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.EndsWith(
            "  poll failed (1 in a row, giving up at 30): the job server at http://127.0.0.1:5080/ is unreachable (Job API stats: Connection refused (127.0.0.1:5080)). Is it running?",
            lines[1],
            StringComparison.Ordinal);
        Assert.Equal("Drained: nothing pending or leased.", lines[3]);
    }

    [Fact]
    public async Task FailedPolls_UpToMaxFailures_GiveUpWithExit5()
    {
        _cli.Jobs.Client.Stats.Enqueue(new JobApiException("Job API stats: Connection refused", null, isTransient: true));

        var exit = await _cli.RunAdvancingAsync(TimeSpan.FromSeconds(1), "watch", "--max-failures", "3");

        Assert.Equal(5, exit);
        Assert.Equal(3, _cli.Jobs.Client.StatsCalls);
        Assert.Equal(3, _cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(
            "error: watch gave up after 3 failed polls in a row: the job server at http://127.0.0.1:5080/ is unreachable (Job API stats: Connection refused). Is it running?\n",
            _cli.Error);
    }

    [Fact]
    public async Task Unauthorized_EndsTheWatchAtOnceWithExit4()
    {
        _cli.Jobs.Client.Stats.Enqueue(new JobApiException("Job API stats answered 401 Unauthorized", System.Net.HttpStatusCode.Unauthorized, isTransient: false));

        var exit = await _cli.RunAdvancingAsync(TimeSpan.FromSeconds(1), "watch");

        Assert.Equal(4, exit);
        Assert.Equal(1, _cli.Jobs.Client.StatsCalls);
    }

    [Fact]
    public async Task Json_WritesOneObjectPerEvent()
    {
        var stats = _cli.Jobs.Client.Stats;
        stats.Enqueue(Stats(pending: 2, leased: 0, completed: 0));
        stats.Enqueue(new JobApiException("Job API stats: no answer within the timeout.", null, isTransient: true));
        stats.Enqueue(Stats(pending: 0, leased: 0, completed: 2));

        var exit = await _cli.RunAdvancingAsync(TimeSpan.FromSeconds(1), "watch", "--until-drained", "--json");

        Assert.Equal(0, exit);
        var events = _cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["sample", "poll_failed", "sample", "drained"], events.Select(e => e.GetProperty("event").GetString()));
        var first = events[0].GetProperty("sample");
        Assert.Equal((2, 0, 2), (first.GetProperty("pending").GetInt64(), first.GetProperty("done").GetInt64(), first.GetProperty("total").GetInt64()));
        Assert.Equal("unreachable", events[1].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, events[1].GetProperty("consecutive_failures").GetInt32());
        var last = events[2].GetProperty("sample");
        Assert.Equal((2, 2, 1.0), (last.GetProperty("done").GetInt64(), last.GetProperty("total").GetInt64(), last.GetProperty("jobs_per_second").GetDouble()));
        Assert.Equal(0, events[3].GetProperty("stranded_count").GetInt64());
    }

    [Fact]
    public async Task Cancelled_Exits0()
    {
        _cli.Jobs.Client.Stats.Enqueue(Stats(pending: 5, leased: 0, completed: 7));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = _cli.StartAsync(["watch"], cancel.Token);
        while (_cli.Jobs.Client.StatsCalls == 0)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await cancel.CancelAsync();

        Assert.Equal(0, await run);
        Assert.Equal("2026-01-02T03:04:05Z  done 0/5 (0.0%)  pending 5  leased 0  completed 7  dead 0  rate -  eta -  bots 1/1\n", _cli.Output);
        // Without --until-drained the silo is never asked.
        Assert.Empty(_cli.Fleet.Ports);
    }

    private static StatsResponse Stats(long pending, long leased, long completed, string strandedOp = "")
    {
        var byOp = ImmutableDictionary<string, JobStatusCounts>.Empty.Add("sum", new(strandedOp.Length == 0 ? pending : 0, leased, completed, 0));
        if (strandedOp.Length > 0)
        {
            byOp = byOp.Add(strandedOp, new(pending, 0, 0, 0));
        }

        return new(new JobStatusCounts(pending, leased, completed, 0), byOp, new BotCounts(1, 1));
    }
}

using System.Collections.Immutable;
using System.Net;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace BotFleet.Scheduling.Tests.Cluster;

[Collection(SchedulerClusterCollection.Name)]
public sealed class SchedulerGrainTests(SchedulerClusterFixture fixture)
{
    private static FakeJobApi Api => SchedulerClusterFixture.Api;

    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task Start_Twice_RegistersTheKeepAliveReminderOnceWithoutResettingIt()
    {
        var bot = Grains.GetGrain<ISchedulerGrain>("reminder-bot");
        var definition = new BotDefinition { Operations = ["echo"], MaxConcurrency = 1 };
        var reminders = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost!.Services.GetRequiredService<IReminderTable>();

        await bot.StartAsync(definition);
        var first = await reminders.ReadRow(bot.GetGrainId(), SchedulerGrain.KeepAliveReminder, TestContext.Current.CancellationToken);
        await bot.StartAsync(definition);
        var second = await reminders.ReadRow(bot.GetGrainId(), SchedulerGrain.KeepAliveReminder, TestContext.Current.CancellationToken);
        await bot.StopAsync();
        var afterStop = await reminders.ReadRow(bot.GetGrainId(), SchedulerGrain.KeepAliveReminder, TestContext.Current.CancellationToken);

        Assert.NotNull(first);
        Assert.Equal(TimeSpan.FromMinutes(15), first.Period);
        Assert.NotNull(second);
        Assert.Equal(first.ETag, second.ETag);
        Assert.Equal(first.StartAt, second.StartAt);
        Assert.Null(afterStop);
    }

    [Fact]
    public async Task KeepAliveTick_UnderAnEarlierPeriod_ReRegistersTheReminderWithTheConfiguredOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var bot = Grains.GetGrain<ISchedulerGrain>("reminder-period-bot");
        var reminders = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost!.Services.GetRequiredService<IReminderTable>();
        await bot.StartAsync(new BotDefinition { Operations = ["echo"], MaxConcurrency = 1 });
        var registered = await reminders.ReadRow(bot.GetGrainId(), SchedulerGrain.KeepAliveReminder, ct);
        var remindable = bot.AsReference<IRemindable>();

        // A tick under the configured period changes nothing; one under the old default of 1 min re-registers.
        await remindable.ReceiveReminder(SchedulerGrain.KeepAliveReminder, new TickStatus(DateTime.UtcNow, TimeSpan.FromMinutes(15), DateTime.UtcNow), ct);
        var afterCurrentTick = await reminders.ReadRow(bot.GetGrainId(), SchedulerGrain.KeepAliveReminder, ct);
        await remindable.ReceiveReminder(SchedulerGrain.KeepAliveReminder, new TickStatus(DateTime.UtcNow, TimeSpan.FromMinutes(1), DateTime.UtcNow), ct);
        var afterOldTick = await reminders.ReadRow(bot.GetGrainId(), SchedulerGrain.KeepAliveReminder, ct);
        await bot.StopAsync();

        Assert.NotNull(registered);
        Assert.Equal(registered.ETag, afterCurrentTick?.ETag);
        Assert.NotNull(afterOldTick);
        Assert.NotEqual(registered.ETag, afterOldTick.ETag);
        Assert.Equal(TimeSpan.FromMinutes(15), afterOldTick.Period);
    }

    [Fact]
    public async Task StartedBot_RunsJobsOnWorkerGrainsWithinItsConcurrencyAndReportsEachOnce()
    {
        var ids = Enumerable.Range(0, 60).Select(i => Api.Enqueue("probe", new { i })).ToHashSet();
        var bot = Grains.GetGrain<ISchedulerGrain>("worker-bot");

        await bot.StartAsync(new BotDefinition { Operations = ["probe"], MaxConcurrency = 5, ClaimBatchSize = 3 });
        await Eventually.TrueAsync(() => ids.IsSubsetOf(Api.Accepted.Select(r => r.JobId)), "all 60 jobs reported");
        var status = await bot.GetStatusAsync();
        await bot.StopAsync();

        var reports = Api.Accepted.Where(r => ids.Contains(r.JobId)).ToList();
        Assert.Equal(60, reports.Count);
        Assert.All(reports, r => Assert.Equal("complete", r.Action));
        Assert.All(reports, r => Assert.Equal(status.InstanceId, r.InstanceId));
        Assert.Equal(BotState.Active, status.State);
        Assert.InRange(status.PeakInFlight, 1, 5);
        Assert.Equal(60, status.JobsCompleted);
        Assert.All(Api.Claims.Where(c => c.BotId == status.BotId && c.Operations.Contains("probe")), c => Assert.InRange(c.Limit, 1, 3));
    }

    [Fact]
    public async Task UndeliverableReports_StayInTheGrainsOutboxAndAreDeliveredWhenTheServerRecovers()
    {
        var ids = Enumerable.Range(0, 5).Select(i => Api.Enqueue("echo", new { i })).ToHashSet();
        Api.ReportFault = r => ids.Contains(r.JobId) ? FakeJobApi.ServerError(HttpStatusCode.BadGateway) : null;
        var bot = Grains.GetGrain<ISchedulerGrain>("outbox-bot");

        await bot.StartAsync(new BotDefinition { Operations = ["echo"], MaxConcurrency = 5, ClaimBatchSize = 5 });
        await Eventually.ValueAsync(bot.GetStatusAsync, s => s.OutboxSize == 5 && s.InFlight == 0, "five reports in the outbox");
        Assert.Equal(BotState.Degraded, (await bot.GetStatusAsync()).State);
        Api.ReportFault = _ => null;
        await Eventually.ValueAsync(bot.GetStatusAsync, s => s.OutboxSize == 0, "outbox drained");
        await bot.StopAsync();

        Assert.Equal(ids.Order(), Api.Accepted.Where(r => ids.Contains(r.JobId)).Select(r => r.JobId).Order());
    }

    [Fact]
    public async Task WakeNow_SendsTheHeartbeatAtOnce_SoAnOperatorsPauseShowsBeforeTheHeartbeatInterval()
    {
        var bot = Grains.GetGrain<ISchedulerGrain>("wake-bot");
        await bot.StartAsync(new BotDefinition { Operations = ["wake-op"], MaxConcurrency = 1 });
        var active = await Eventually.ValueAsync(bot.GetStatusAsync, s => s.State == BotState.Active, "the bot registered");
        var previous = Api.HeartbeatAnswer;
        // The fake's heartbeat interval is 30 s: a pause seen within seconds came from the wake-up.
        Api.HeartbeatAnswer = request => request.InstanceId == active.InstanceId
            ? new HeartbeatResponse(DateTimeOffset.UnixEpoch, new BotAssignment(["wake-op"], 1, Paused: true))
            : previous(request);
        try
        {
            var paused = await Eventually.ValueAsync(
                async () =>
                {
                    // Until the first tick has armed the bot's heartbeat, a wake-up has no heartbeat to send.
                    await bot.WakeNowAsync();
                    return await bot.GetStatusAsync();
                },
                s => s.State == BotState.Paused,
                "paused by the heartbeat the wake-up sent",
                TimeSpan.FromSeconds(10));

            Assert.Equal(BotState.Paused, paused.State);
        }
        finally
        {
            Api.HeartbeatAnswer = previous;
            await bot.StopAsync();
        }
    }

    [Fact]
    public async Task WakeNow_StoppedBot_StaysStopped()
    {
        var bot = Grains.GetGrain<ISchedulerGrain>("never-started-wake-bot");

        await bot.WakeNowAsync();

        Assert.Equal(BotState.Stopped, (await bot.GetStatusAsync()).State);
    }

    [Fact]
    public async Task Fleet_StartBot_ListsItInTheRosterAndItsStatus()
    {
        var fleet = Grains.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);

        await fleet.StartBotAsync("fleet-bot-a", new BotDefinition { Operations = ["sum"], MaxConcurrency = 2 });
        await fleet.StartBotAsync("fleet-bot-b", new BotDefinition { Operations = ["echo"], MaxConcurrency = 3 });
        var status = await fleet.GetStatusAsync();
        await fleet.StopBotAsync("fleet-bot-a");
        var keys = await fleet.GetBotKeysAsync();
        await fleet.StopBotAsync("fleet-bot-b");

        Assert.Equal(["fleet-bot-a", "fleet-bot-b"], status.Bots.Select(b => b.BotKey));
        Assert.Equal([2, 3], status.Bots.Select(b => b.MaxConcurrency));
        Assert.Equal(["fleet-bot-b"], keys);
    }

    [Fact]
    public async Task Fleet_StartBots_StartsEachValidBotAndReturnsTheOthers()
    {
        var fleet = Grains.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);

        var failed = await fleet.StartBotsAsync(ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, BotDefinition>
        {
            ["batch-bot-b"] = new() { Operations = ["echo"], MaxConcurrency = 3 },
            ["batch-bot-bad"] = new() { Operations = ["sum"], MaxConcurrency = 0 },
            ["batch-bot-a"] = new() { Operations = ["sum"], MaxConcurrency = 2 },
        }));
        var keys = await fleet.GetBotKeysAsync();
        var status = await fleet.GetStatusAsync();
        var bad = await Grains.GetGrain<ISchedulerGrain>("batch-bot-bad").GetStatusAsync();
        await fleet.StopBotAsync("batch-bot-a");
        await fleet.StopBotAsync("batch-bot-b");

        Assert.Equal(["batch-bot-bad"], failed);
        Assert.Equal(["batch-bot-a", "batch-bot-b"], keys.Where(k => k.StartsWith("batch-bot-", StringComparison.Ordinal)));
        var started = status.Bots.Where(b => b.BotKey.StartsWith("batch-bot-", StringComparison.Ordinal)).ToList();
        Assert.Equal([2, 3], started.Select(b => b.MaxConcurrency));
        Assert.DoesNotContain(started, b => b.State == BotState.Stopped);
        Assert.Equal(BotState.Stopped, bad.State);
    }

    [Fact]
    public async Task Start_InvalidDefinition_IsRefusedWithTheReason()
    {
        var bot = Grains.GetGrain<ISchedulerGrain>("bad-bot");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => bot.StartAsync(new BotDefinition { Operations = ["sum"], MaxConcurrency = 0 }));

        Assert.StartsWith("Bot bad-bot cannot start: max_concurrency: must be between 1 and 1000, got 0", error.Message, StringComparison.Ordinal);
        Assert.Equal(BotState.Stopped, (await bot.GetStatusAsync()).State);
    }
}

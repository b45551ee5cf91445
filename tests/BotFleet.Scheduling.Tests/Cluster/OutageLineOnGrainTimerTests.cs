using System.Collections.Concurrent;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using BotFleet.Scheduling.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace BotFleet.Scheduling.Tests.Cluster;

/// <summary>
/// The silo's outage line through the real grains, on a fake clock: a bot that backed off long while the job server
/// was unreachable comes back as soon as another bot of its silo reaches the server again, not when its back-off ends.
/// </summary>
public sealed class OutageLineOnGrainTimerTests : IAsyncLifetime
{
    // Silo configurators are created by type, so what they share with the test is static; this class has one test.
    private static readonly FakeJobApi Api = new();
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));

    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await TestSilo.DeployOnFakeClockAsync<SiloConfigurator>(Time);
    }

    public async ValueTask DisposeAsync() => await _cluster.StopOnFakeClockAsync(Time);

    [Fact]
    public async Task ServerBackAfterAnOutage_AnotherBotReachesIt_TheBotInALongBackOffClaimsAtOnce()
    {
        var claims = new ConcurrentQueue<(string Operation, DateTimeOffset At)>();
        Api.ClaimFault = request =>
        {
            claims.Enqueue((request.Operations[0], Time.GetUtcNow()));
            return null;
        };
        Api.RegisterFault = FakeJobApi.Unreachable();
        var patient = _cluster.Client.GetGrain<ISchedulerGrain>("patient-bot");
        var quick = _cluster.Client.GetGrain<ISchedulerGrain>("quick-bot");

        // The patient bot fails to register often enough to back off for ≥ 12 s (1 s doubling: 2, 4, 8, 16 s ± 20 %);
        // the quick bot starts afterwards and fails once (2 s ± 20 %). Their due times are read while the clock flows
        // (a grain call on a clock that stands still can wait for ever); each holds until that bot's next tick, which
        // is at least 1.6 s of fake time after it was read, while the flow stops a few milliseconds later.
        DateTimeOffset patientDue, quickDue;
        await using (FlowingTime.Start(Time))
        {
            await patient.StartAsync(new BotDefinition { Operations = ["echo"], MaxConcurrency = 1 });
            patientDue = (await Eventually.ValueAsync(
                patient.GetStatusAsync, s => s.NextTickAt - Time.GetUtcNow() >= TimeSpan.FromSeconds(12), "the patient bot backing off for 12 s or more")).NextTickAt!.Value;
            await quick.StartAsync(new BotDefinition { Operations = ["sum"], MaxConcurrency = 1 });
            quickDue = (await Eventually.ValueAsync(quick.GetStatusAsync, s => s.NextTickAt > Time.GetUtcNow(), "the quick bot backing off after its first failure")).NextTickAt!.Value;
        }

        var registrationsWhileDown = Api.Calls.OfType<RegisterCall>().Count();

        // The server is back; only the clock's steps move the bots now, up to a second before the patient bot's own tick.
        Api.RegisterFault = null;
        await Time.StepToAsync(quickDue + TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(100));
        await Eventually.TrueAsync(() => claims.Any(c => c.Operation == "echo"), "the patient bot's claim, woken by the quick bot's");
        await Time.StepToAsync(patientDue - TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500));

        Assert.True(quickDue + TimeSpan.FromSeconds(8) < patientDue, $"quick bot due {quickDue:O}, patient bot {patientDue:O}");
        Assert.True(registrationsWhileDown >= 5, $"{registrationsWhileDown} registrations while the server was down");
        var quickFirst = claims.First(c => c.Operation == "sum");
        var patientFirst = claims.First(c => c.Operation == "echo");
        Assert.True(quickFirst.At >= quickDue, $"the quick bot claimed at {quickFirst.At:O}, before its tick at {quickDue:O}");
        Assert.True(patientFirst.At >= quickFirst.At, $"the patient bot claimed at {patientFirst.At:O}, before the quick bot at {quickFirst.At:O}");
        Assert.True(patientFirst.At < quickDue + TimeSpan.FromSeconds(1), $"the patient bot claimed at {patientFirst.At:O}, not within a second of the quick bot's tick at {quickDue:O}");

        await using (FlowingTime.Start(Time))
        {
            await patient.StopAsync();
            await quick.StopAsync();
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddFakeJobApiScheduling(Api, Time, o =>
        {
            o.TickInterval = TimeSpan.FromSeconds(1);
            o.MaxIdleInterval = TimeSpan.FromSeconds(10);
            o.MaxFailureBackoff = TimeSpan.FromMinutes(1);
            // The longest probe interval, so that here only the quick bot's answer can wake the patient one.
            o.OutageProbeInterval = TimeSpan.FromMinutes(1);
        });
    }
}

using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>
/// Every claim carries an id; a claim that got no answer is sent again with the same id (so the server can answer with
/// what it leased the first time), and the next claim after an answer has a new one.
/// </summary>
public sealed class ClaimIdTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClaimWithoutAnAnswer_IsRepeatedWithTheSameId_AndTheClaimAfterAnAnswerHasANewOne()
    {
        await using var h = new SchedulerHarness();
        var failures = 1;
        h.Api.ClaimFault = _ => failures-- > 0 ? FakeJobApi.Unreachable() : null;
        h.Api.Enqueue("sum", new { a = 1, b = 2 });

        await h.TickAndDrainAsync();
        await h.TickAndDrainAsync();
        await h.TickAndDrainAsync();

        var ids = h.Api.Claims.Select(c => c.ClaimId).ToList();
        Assert.Equal(3, ids.Count);
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual(ids[1], ids[2]);
        Assert.Single(h.Api.Accepted);
    }
}

using System.Globalization;
using BotFleet.JobServer.Storage;

namespace BotFleet.JobServer.Tests.Storage;

public sealed class IdsTests
{
    private const long Noon = 1_737_288_000_000; // 2025-01-19 12:00:00 UTC in unix ms

    [Fact]
    public void NewJobId_IsAUuidVersion7OfTheGivenMillisecond()
    {
        var id = Ids.NewJobId(Noon);

        Assert.Matches("^job_[0-9a-f]{32}$", id);
        Assert.Equal(Noon, long.Parse(id.AsSpan(4, 12), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal('7', id[16]);
    }

    [Fact]
    public void NewJobId_LaterMillisecond_SortsAfterEveryIdOfTheEarlierOne()
    {
        var earlier = Enumerable.Range(0, 1_000).Select(_ => Ids.NewJobId(Noon)).ToList();
        var later = Ids.NewJobId(Noon + 1);

        Assert.Equal(1_000, earlier.Distinct(StringComparer.Ordinal).Count());
        Assert.All(earlier, id => Assert.True(string.CompareOrdinal(id, later) < 0, $"{id} should sort before {later}"));
    }

    [Fact]
    public void NewBotId_IsBotAnd32Hex() => Assert.Matches("^bot_[0-9a-f]{32}$", Ids.NewBotId());
}

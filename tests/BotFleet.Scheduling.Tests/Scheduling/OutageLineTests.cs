using BotFleet.Scheduling.Scheduling;

namespace BotFleet.Scheduling.Tests.Scheduling;

public sealed class OutageLineTests
{
    private readonly OutageLine _line = new();
    private readonly List<string> _woken = [];

    [Fact]
    public void ServerAnswered_WakesTheTwoThatWaitedLongest_AndEachOnlyOnce()
    {
        Join("a", "b", "c", "d", "e");

        _line.ServerAnswered("x");
        _line.ServerAnswered("x");

        Assert.Equal(["a", "b", "c", "d"], _woken);
        Assert.Equal(1, _line.Count);
    }

    [Fact]
    public void ServerAnswered_WokenBotsAnswerInTurn_TheWaveDoublesUntilTheLineIsEmpty()
    {
        var bots = Enumerable.Range(1, 15).Select(i => $"bot-{i}").ToArray();
        Join(bots);

        // The first answer wakes 2, their answers 4, theirs 8, and the last answer finds one bot left.
        var waves = new List<int>();
        var wave = new List<string> { "first" };
        while (_line.Count > 0)
        {
            var before = _woken.Count;
            foreach (var bot in wave)
            {
                _line.ServerAnswered(bot);
            }

            wave = _woken.Skip(before).ToList();
            waves.Add(wave.Count);
        }

        Assert.Equal([2, 4, 8, 1], waves);
        Assert.Equal(bots, _woken);
    }

    [Fact]
    public void ServerAnswered_ByABotInLine_TakesItOutWithoutWakingIt()
    {
        Join("a", "b", "c");

        _line.ServerAnswered("a");

        Assert.Equal(["b", "c"], _woken);
        Assert.Equal(0, _line.Count);
    }

    [Fact]
    public void Join_Twice_KeepsTheFirstPlaceAndWakesOnce()
    {
        Join("a", "b", "a");

        _line.ServerAnswered("x");
        _line.ServerAnswered("x");

        Assert.Equal(["a", "b"], _woken);
    }

    [Fact]
    public void Leave_TakesTheBotOut_TheOthersKeepTheirOrder()
    {
        Join("a", "b", "c");

        _line.Leave("a");
        _line.Leave("nobody");
        _line.ServerAnswered("x");

        Assert.Equal(["b", "c"], _woken);
    }

    [Fact]
    public void ServerAnswered_NobodyWaiting_WakesNothing()
    {
        _line.ServerAnswered("x");

        Assert.Empty(_woken);
        Assert.Equal(0, _line.Count);
    }

    private void Join(params string[] bots)
    {
        foreach (var bot in bots)
        {
            _line.Join(bot, () => _woken.Add(bot));
        }
    }
}

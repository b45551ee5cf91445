using BotFleet.Scheduling.Scheduling;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.Scheduling.Tests.Scheduling;

public sealed class OutageLineTests : IDisposable
{
    private static readonly TimeSpan Probe = TimeSpan.FromMilliseconds(500);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly OutageLine _line;
    private readonly List<string> _woken = [];

    public OutageLineTests()
    {
        _line = new OutageLine(Options.Create(new SchedulerOptions { OutageProbeInterval = Probe }), _time);
    }

    public void Dispose() => _line.Dispose();

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

    [Fact]
    public void Probe_NobodyGetsThrough_WakesTheLongestWaitingOneEveryInterval()
    {
        Join("a", "b", "c");

        _time.Advance(Probe - TimeSpan.FromMilliseconds(1));
        var beforeTheInterval = _woken.ToList();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var afterOne = _woken.ToList();
        _time.Advance(Probe);

        Assert.Empty(beforeTheInterval);
        Assert.Equal(["a"], afterOne);
        Assert.Equal(["a", "b"], _woken);
        Assert.Equal(1, _line.Count);
    }

    [Fact]
    public void Probe_WokenBotFailsAgain_RejoinsAtTheBackAndTheOthersGoFirst()
    {
        Join("a", "b");

        _time.Advance(Probe);
        Join("a");
        _time.Advance(Probe);
        _time.Advance(Probe);

        Assert.Equal(["a", "b", "a"], _woken);
    }

    [Fact]
    public void Probe_LineEmptied_StopsUntilTheNextBotJoins()
    {
        Join("a");
        _line.ServerAnswered("a");
        _time.Advance(Probe * 10);
        var whileEmpty = _woken.ToList();

        Join("b");
        _time.Advance(Probe);

        Assert.Empty(whileEmpty);
        Assert.Equal(["b"], _woken);
    }

    private void Join(params string[] bots)
    {
        foreach (var bot in bots)
        {
            _line.Join(bot, () => _woken.Add(bot));
        }
    }
}

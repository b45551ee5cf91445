using BotFleet.Scheduling.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.Scheduling.Tests.Scheduling;

public sealed class HeartbeatClockTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly HeartbeatClock _clock;
    private readonly List<(string Bot, TimeSpan At)> _beats = [];
    private readonly DateTimeOffset _start;

    public HeartbeatClockTests()
    {
        _clock = new HeartbeatClock(_time, NullLogger<HeartbeatClock>.Instance);
        _start = _time.GetUtcNow();
    }

    public void Dispose() => _clock.Dispose();

    [Fact]
    public void Start_BeatsEveryInterval_TheFirstOneIntervalFromNow()
    {
        Start("a", Interval);

        _time.Advance(Interval - TimeSpan.FromTicks(1));
        Assert.Empty(_beats);
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(i == 0 ? TimeSpan.FromTicks(1) : Interval);
        }

        Assert.Equal([("a", Interval), ("a", 2 * Interval), ("a", 3 * Interval)], _beats);
    }

    [Fact]
    public void Beats_OfManyBots_ComeInDueOrder_AndALaterStartWithAnEarlierDueIsNotMissed()
    {
        Start("slow", TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(2));
        Start("fast", TimeSpan.FromSeconds(3));

        for (var i = 0; i < 12; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(
            [("fast", S(5)), ("fast", S(8)), ("slow", S(10)), ("fast", S(11)), ("fast", S(14))],
            _beats);
    }

    [Fact]
    public void Beats_DueWithinTheGatherOfAFiring_ComeWithIt_AndKeepTheirOwnCadence()
    {
        var step = HeartbeatClock.Gather / 2;
        Start("a", Interval);
        _time.Advance(step);
        Start("b", Interval);
        _time.Advance(step * 2);
        Start("c", Interval);

        while (_time.GetUtcNow() - _start < 2 * Interval + step * 4)
        {
            _time.Advance(step);
        }

        // b (due 50 ms after a) comes with a; c (due 150 ms after a) is past the gather and wakes the clock itself.
        Assert.Equal(
            [("a", Interval), ("b", Interval), ("c", Interval + step * 3), ("a", 2 * Interval), ("b", 2 * Interval), ("c", 2 * Interval + step * 3)],
            _beats);
    }

    [Fact]
    public void Dispose_StopsThatBotsBeatsOnly()
    {
        var a = Start("a", Interval);
        Start("b", Interval);

        _time.Advance(Interval);
        a.Dispose();
        a.Dispose();
        _time.Advance(Interval);

        Assert.Equal([("a", Interval), ("b", Interval), ("b", 2 * Interval)], _beats.OrderBy(b => b.At).ThenBy(b => b.Bot));
        Assert.Equal(1, _clock.Count);
    }

    [Fact]
    public void ABeatThatFellAnIntervalBehind_BeatsOnce_ThenKeepsTheIntervalFromThen()
    {
        Start("a", Interval);

        _time.Advance(Interval * 3.5);
        _time.Advance(Interval);

        Assert.Equal([("a", Interval * 3.5), ("a", Interval * 4.5)], _beats);
    }

    [Fact]
    public void ABeatThatThrows_DoesNotStopTheOthers()
    {
        _clock.Start(Interval, () => throw new InvalidOperationException("a broken beat"));
        Start("b", Interval);

        _time.Advance(Interval);
        _time.Advance(Interval);

        Assert.Equal([("b", Interval), ("b", 2 * Interval)], _beats);
        Assert.Equal(2, _clock.Count);
    }

    private static TimeSpan S(int seconds) => TimeSpan.FromSeconds(seconds);

    private IDisposable Start(string bot, TimeSpan interval) => _clock.Start(interval, () => _beats.Add((bot, _time.GetUtcNow() - _start)));
}

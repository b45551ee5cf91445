using BotFleet.Scheduling.Fleet;

namespace BotFleet.Scheduling.Tests.Fleet;

public sealed class BotPlacementPlanTests
{
    [Fact]
    public void Moves_TwentyBotsOnOneSiloAndTwoEmpty_MoveThirteenSoEachHoldsSixOrSeven()
    {
        var bots = Enumerable.Range(0, 20).ToDictionary(i => $"bot-{i:00}", _ => "A");

        var moves = BotPlacementPlan.Moves(bots, ["A", "B", "C"]);

        var after = Apply(bots, moves);
        Assert.Equal(13, moves.Count);
        Assert.Equal([("A", 7), ("B", 7), ("C", 6)], Count(after, ["A", "B", "C"]));
        Assert.All(moves, m => Assert.Equal("A", bots[m.BotKey]));
    }

    [Fact]
    public void Moves_AlreadyBalanced_MovesNothing()
    {
        var bots = new Dictionary<string, string> { ["a"] = "A", ["b"] = "B", ["c"] = "A", ["d"] = "B", ["e"] = "A" };

        Assert.Empty(BotPlacementPlan.Moves(bots, ["A", "B"]));
    }

    [Fact]
    public void Moves_ASiloJoinsABalancedPair_TakesItsShareFromBoth()
    {
        var bots = Enumerable.Range(0, 10).ToDictionary(i => $"bot-{i}", i => i % 2 == 0 ? "A" : "B");

        var moves = BotPlacementPlan.Moves(bots, ["A", "B", "C"]);

        Assert.Equal(3, moves.Count);
        Assert.All(moves, m => Assert.Equal("C", m.Silo));
        Assert.Equal([("A", 4), ("B", 3), ("C", 3)], Count(Apply(bots, moves), ["A", "B", "C"]));
    }

    [Fact]
    public void Moves_BotsOnASiloOutsideTheList_StayWhereTheyAre()
    {
        var bots = new Dictionary<string, string> { ["a"] = "A", ["b"] = "A", ["c"] = "gone", ["d"] = "gone" };

        var moves = BotPlacementPlan.Moves(bots, ["A", "B"]);

        Assert.Equal([("b", "B")], moves);
    }

    [Fact]
    public void Moves_NoSilos_MovesNothing() =>
        Assert.Empty(BotPlacementPlan.Moves(new Dictionary<string, string> { ["a"] = "A" }, []));

    private static Dictionary<string, string> Apply(Dictionary<string, string> bots, IReadOnlyList<(string BotKey, string Silo)> moves)
    {
        var after = new Dictionary<string, string>(bots);
        foreach (var (bot, silo) in moves)
        {
            after[bot] = silo;
        }

        return after;
    }

    private static (string, int)[] Count(Dictionary<string, string> bots, string[] silos) =>
        [.. silos.Select(s => (s, bots.Values.Count(v => v == s)))];
}

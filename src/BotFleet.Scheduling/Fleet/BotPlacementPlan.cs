namespace BotFleet.Scheduling.Fleet;

/// <summary>Which bots to move so that every silo holds its share of the fleet (counts differ by at most one).</summary>
public static class BotPlacementPlan
{
    /// <param name="botSilos">Each bot's key and the silo that holds it now (its <c>BotStatus.Silo</c>).</param>
    /// <param name="silos">The silos to spread over, identified as <c>BotStatus.Silo</c> names them.</param>
    /// <returns>The moves, fewest possible: a bot leaves only a silo above its share, for one below it.</returns>
    public static IReadOnlyList<(string BotKey, string Silo)> Moves(IReadOnlyDictionary<string, string> botSilos, IReadOnlyList<string> silos)
    {
        ArgumentNullException.ThrowIfNull(botSilos);
        ArgumentNullException.ThrowIfNull(silos);
        if (silos.Count == 0)
        {
            return [];
        }

        var held = silos.Distinct(StringComparer.Ordinal).ToDictionary(
            silo => silo,
            silo => botSilos.Where(b => b.Value == silo).Select(b => b.Key).Order(StringComparer.Ordinal).ToList(),
            StringComparer.Ordinal);
        // Bots on a silo outside the list (leaving, or not yet seen) are left where they are: placement or
        // failover deals with them.
        var total = held.Values.Sum(b => b.Count);
        var share = total / held.Count;
        var extra = total % held.Count;
        // The busiest silos keep the bots that do not divide evenly, so nothing moves only to move back.
        var ordered = held.OrderByDescending(h => h.Value.Count).ThenBy(h => h.Key, StringComparer.Ordinal).ToList();
        var capacity = ordered.Select((h, i) => (h.Key, Cap: share + (i < extra ? 1 : 0))).ToDictionary(c => c.Key, c => c.Cap, StringComparer.Ordinal);

        var surplus = new Queue<string>(ordered.SelectMany(h => h.Value.Skip(capacity[h.Key])));
        var moves = new List<(string, string)>();
        foreach (var (silo, bots) in ordered)
        {
            for (var free = capacity[silo] - bots.Count; free > 0 && surplus.Count > 0; free--)
            {
                moves.Add((surplus.Dequeue(), silo));
            }
        }

        return moves;
    }
}

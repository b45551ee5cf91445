namespace BotFleet.LoadBench.Hosting;

/// <summary>What the fleet's bots hold right now, summed over all of them (from <c>botfleet status --json</c>).</summary>
internal sealed record FleetLoad(int Bots, long InFlight, long Outbox);

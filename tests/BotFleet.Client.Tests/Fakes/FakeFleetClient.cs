using BotFleet.Client;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;

namespace BotFleet.Client.Tests.Fakes;

/// <summary>Answers with a set status and records start/stop calls.</summary>
internal sealed class FakeFleetClient : IFleetClient
{
    public FleetStatus Status { get; set; } = new() { Bots = [], TakenAt = DateTimeOffset.UnixEpoch };

    public List<(string BotKey, BotDefinition Definition)> Started { get; } = [];

    public List<string> Stopped { get; } = [];

    public Task<FleetStatus> GetFleetStatusAsync(CancellationToken cancellationToken = default) => Task.FromResult(Status);

    public Task<BotStatus> GetBotStatusAsync(string botKey, CancellationToken cancellationToken = default) =>
        Task.FromResult(Status.Bots.Single(b => b.BotKey == botKey));

    public Task StartBotAsync(string botKey, BotDefinition definition, CancellationToken cancellationToken = default)
    {
        Started.Add((botKey, definition));
        return Task.CompletedTask;
    }

    public Task StopBotAsync(string botKey, CancellationToken cancellationToken = default)
    {
        Stopped.Add(botKey);
        return Task.CompletedTask;
    }
}

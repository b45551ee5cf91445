using System.Collections.Immutable;
using BotFleet.Client;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;

namespace BotFleet.Client.Tests.Fakes;

/// <summary>Answers with a set status (its bots are the roster) and records start, stop and wake calls.</summary>
internal sealed class FakeFleetClient : IFleetClient
{
    public FleetStatus Status { get; set; } = new() { Bots = [], TakenAt = DateTimeOffset.UnixEpoch };

    public List<(string BotKey, BotDefinition Definition)> Started { get; } = [];

    public List<string> Stopped { get; } = [];

    public List<string> Woken { get; } = [];

    /// <summary>Runs on each wake, to change <see cref="Status"/> as a real bot would (deliver its outbox, pause).</summary>
    public Action<string>? OnWake { get; set; }

    /// <summary>Thrown by every status read, as a silo that went away would.</summary>
    public Exception? StatusFault { get; set; }

    public Task<FleetStatus> GetFleetStatusAsync(CancellationToken cancellationToken = default) =>
        StatusFault is { } fault ? Task.FromException<FleetStatus>(fault) : Task.FromResult(Status);

    public Task<BotStatus> GetBotStatusAsync(string botKey, CancellationToken cancellationToken = default) =>
        Task.FromResult(Status.Bots.FirstOrDefault(b => b.BotKey == botKey) ?? new BotStatus { BotKey = botKey, State = BotState.Stopped });

    public Task<ImmutableArray<string>> GetBotKeysAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Status.Bots.Select(b => b.BotKey).ToImmutableArray());

    public Task<BotStatus?> FindBotAsync(string botKey, CancellationToken cancellationToken = default) =>
        Task.FromResult(Status.Bots.FirstOrDefault(b => b.BotKey == botKey));

    public Task WakeBotAsync(string botKey, CancellationToken cancellationToken = default)
    {
        Woken.Add(botKey);
        OnWake?.Invoke(botKey);
        return Task.CompletedTask;
    }

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

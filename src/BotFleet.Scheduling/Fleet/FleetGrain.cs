using System.Collections.Immutable;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;

namespace BotFleet.Scheduling.Fleet;

/// <summary>Keeps the roster of bots and gathers their status for operators.</summary>
public sealed class FleetGrain(
    [PersistentState("fleet", StorageNames.BotFleet)] IPersistentState<FleetGrainState> state,
    TimeProvider time) : Grain, IFleetGrain
{
    public async Task StartBotAsync(string botKey, BotDefinition definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(botKey);
        await GrainFactory.GetGrain<ISchedulerGrain>(botKey).StartAsync(definition);
        if (state.State.BotKeys.Add(botKey))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task StopBotAsync(string botKey)
    {
        await GrainFactory.GetGrain<ISchedulerGrain>(botKey).StopAsync();
        if (state.State.BotKeys.Remove(botKey))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<string>> GetBotKeysAsync() => Task.FromResult(state.State.BotKeys.ToImmutableArray());

    public async Task<FleetStatus> GetStatusAsync()
    {
        var statuses = await Task.WhenAll(state.State.BotKeys.Select(key => GrainFactory.GetGrain<ISchedulerGrain>(key).GetStatusAsync()));
        return new FleetStatus { Bots = [.. statuses], TakenAt = time.GetUtcNow() };
    }
}

using System.Collections.Immutable;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Fleet;

/// <summary>Keeps the roster of bots, gathers their status for operators, and keeps them on living silos.</summary>
public sealed partial class FleetGrain(
    [PersistentState("fleet", StorageNames.BotFleet)] IPersistentState<FleetGrainState> state,
    TimeProvider time,
    ILogger<FleetGrain> logger) : Grain, IFleetGrain
{
    public async Task StartBotAsync(string botKey, BotDefinition definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(botKey);
        await GrainFactory.GetGrain<ISchedulerGrain>(botKey).StartAsync(definition);
        await AddToRosterAsync([botKey]);
    }

    public async Task<ImmutableArray<string>> StartBotsAsync(ImmutableDictionary<string, BotDefinition> bots)
    {
        ArgumentNullException.ThrowIfNull(bots);
        var outcomes = await Task.WhenAll(bots.Select(async bot => (bot.Key, Started: await TryStartAsync(bot.Key, bot.Value))));
        await AddToRosterAsync(outcomes.Where(o => o.Started).Select(o => o.Key));
        return [.. outcomes.Where(o => !o.Started).Select(o => o.Key).Order(StringComparer.Ordinal)];
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

    public async Task<ImmutableArray<string>> ResumeBotsAsync()
    {
        // Any call activates a bot whose activation died with its silo; activation resumes a running bot.
        var reached = await TryGetStatusesAsync();
        return [.. reached.Where(r => r.Status is null).Select(r => r.BotKey)];
    }

    public async Task<int> RebalanceAsync(ImmutableArray<SiloAddress> silos)
    {
        var statuses = await TryGetStatusesAsync();
        var names = silos.ToDictionary(s => s.ToString(), StringComparer.Ordinal);
        var moves = BotPlacementPlan.Moves(
            statuses.Where(s => s.Status?.Silo is not null).ToDictionary(s => s.BotKey, s => s.Status!.Silo!, StringComparer.Ordinal),
            [.. names.Keys]);
        await Task.WhenAll(moves.Select(m => GrainFactory.GetGrain<ISchedulerGrain>(m.BotKey).MoveToAsync(names[m.Silo])));
        if (moves.Count > 0)
        {
            LogRebalanced(moves.Count, state.State.BotKeys.Count, silos.Length);
        }

        return moves.Count;
    }

    private async Task<bool> TryStartAsync(string botKey, BotDefinition definition)
    {
        try
        {
            await GrainFactory.GetGrain<ISchedulerGrain>(botKey).StartAsync(definition);
            return true;
        }
        catch (Exception ex)
        {
            LogBotStartFailed(botKey, ex);
            return false;
        }
    }

    // The roster is one record: each write rewrites every key, so additions are written together.
    private async Task AddToRosterAsync(IEnumerable<string> botKeys)
    {
        var added = false;
        foreach (var botKey in botKeys)
        {
            added |= state.State.BotKeys.Add(botKey);
        }

        if (added)
        {
            await state.WriteStateAsync();
        }
    }

    // Every bot's status, null for a bot that could not be reached.
    private Task<(string BotKey, BotStatus? Status)[]> TryGetStatusesAsync() =>
        Task.WhenAll(state.State.BotKeys.Select(async key => (key, await TryGetStatusAsync(key))));

    private async Task<BotStatus?> TryGetStatusAsync(string botKey)
    {
        try
        {
            return await GrainFactory.GetGrain<ISchedulerGrain>(botKey).GetStatusAsync();
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogBotUnreachable(botKey, ex);
            return null;
        }
    }
}

using System.Collections.Immutable;
using BotFleet.Contracts.Fleet;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace BotFleet.Scheduling.Fleet;

/// <summary>
/// Keeps the fleet on the cluster's living silos as membership changes. When a silo leaves (crash or shutdown), the
/// bots it held are activated again on the survivors at once; when the cluster starts (this silo is the oldest in its
/// first view), the roster's bots are activated at once too. The keep-alive reminder, up to a period away, is only the
/// backstop. When a silo joins, it takes its share of the bots. One silo acts for the cluster: the oldest
/// active one, so each change is handled once.
/// </summary>
internal sealed partial class FleetMembershipWatcher(
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    IGrainFactory grains,
    IOptions<FleetFailoverOptions> options,
    TimeProvider time,
    ILogger<FleetMembershipWatcher> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly FleetFailoverOptions _options = options.Value;
    private Task _watching = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(FleetMembershipWatcher), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    public void Dispose() => _stopping.Dispose();

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _watching = Task.Run(() => WatchAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _watching.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        ClusterMembershipSnapshot? previous = null;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                if (ActsForTheCluster(snapshot))
                {
                    await (previous is null ? OnClusterStartedAsync(cancellationToken) : OnChangesAsync(snapshot.CreateUpdate(previous).Changes, cancellationToken));
                }

                previous = snapshot;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // The cluster starts here (no older silo lives): its bots come back now, not at their reminders' next tick.
    private Task OnClusterStartedAsync(CancellationToken cancellationToken)
    {
        LogClusterStarted();
        return ResumeBotsAsync(cancellationToken);
    }

    private async Task OnChangesAsync(ImmutableArray<ClusterMember> changes, CancellationToken cancellationToken)
    {
        var left = changes.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToList();
        var joined = changes.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();
        if (left.Count > 0)
        {
            LogSiloLeft(left);
            await ResumeBotsAsync(cancellationToken);
        }

        if (joined.Count > 0 && _options.RebalanceOnJoin)
        {
            await RebalanceAsync(joined, cancellationToken);
        }
    }

    // The oldest active silo (lowest generation, then address) acts; every silo computes the same answer.
    private bool ActsForTheCluster(ClusterMembershipSnapshot snapshot)
    {
        var oldest = snapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .OrderBy(m => m.SiloAddress.Generation)
            .ThenBy(m => m.SiloAddress.ToString(), StringComparer.Ordinal)
            .FirstOrDefault();
        return oldest is not null && oldest.SiloAddress.Equals(localSilo.SiloAddress);
    }

    private async Task ResumeBotsAsync(CancellationToken cancellationToken)
    {
        var roster = grains.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);
        // Right after the change, a call may still be routed to the dead silo; what fails is tried again shortly.
        for (var attempt = 1; attempt <= _options.ResumeAttempts; attempt++)
        {
            try
            {
                var unreached = await roster.ResumeBotsAsync();
                if (unreached.IsEmpty)
                {
                    LogBotsResumed(attempt);
                    return;
                }

                LogBotsNotYetResumed(unreached.Length, attempt);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogResumeFailed(attempt, ex);
            }

            await Task.Delay(_options.ResumeRetryDelay, time, cancellationToken);
        }

        LogResumeLeftToReminders(_options.ResumeAttempts);
    }

    private async Task RebalanceAsync(IReadOnlyList<SiloAddress> joined, CancellationToken cancellationToken)
    {
        try
        {
            // A joining silo needs a moment before it takes activations; placement would fall back to the others.
            await Task.Delay(_options.RebalanceDelay, time, cancellationToken);
            // The silos active now, after the wait, not when the join was seen.
            ImmutableArray<SiloAddress> active =
                [.. membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)];
            var moved = await grains.GetGrain<IFleetGrain>(IFleetGrain.RosterKey).RebalanceAsync(active);
            LogRebalanced(joined, moved);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRebalanceFailed(ex);
        }
    }
}

using System.Collections.Immutable;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace BotFleet.Client;

/// <summary>
/// The fleet as seen from outside the silo: a thin wrapper over <see cref="IClusterClient"/>
/// that goes through the roster grain (so started bots are enrolled) and turns Orleans'
/// connectivity failures into <see cref="FleetUnavailableException"/>.
/// </summary>
public sealed class FleetClient(IClusterClient client, IOptions<BotFleetClientOptions> options) : IFleetClient
{
    private readonly int _gatewayPort = options.Value.GatewayPort;

    private IFleetGrain Fleet => client.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);

    public Task<FleetStatus> GetFleetStatusAsync(CancellationToken cancellationToken = default) =>
        CallAsync(() => Fleet.GetStatusAsync(), cancellationToken);

    public Task<BotStatus> GetBotStatusAsync(string botKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(botKey);
        return CallAsync(() => client.GetGrain<ISchedulerGrain>(botKey).GetStatusAsync(), cancellationToken);
    }

    public Task<ImmutableArray<string>> GetBotKeysAsync(CancellationToken cancellationToken = default) =>
        CallAsync(() => Fleet.GetBotKeysAsync(), cancellationToken);

    public Task<BotStatus?> FindBotAsync(string botKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(botKey);
        return CallAsync(async () =>
        {
            var onRoster = (await Fleet.GetBotKeysAsync()).Contains(botKey, StringComparer.Ordinal);
            var status = await client.GetGrain<ISchedulerGrain>(botKey).GetStatusAsync();

            // Every grain key answers; only a definition (kept after a stop) shows that something started this one.
            return onRoster || IsStartedOnce(status) ? status : null;
        }, cancellationToken);
    }

    public Task WakeBotAsync(string botKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(botKey);
        return CallAsync(async () =>
        {
            await client.GetGrain<ISchedulerGrain>(botKey).WakeNowAsync();
            return true;
        }, cancellationToken);
    }

    /// <summary>A bot started once has operations and a concurrency (a valid definition has both); a key never started has neither.</summary>
    internal static bool IsStartedOnce(BotStatus status) => !status.Operations.IsDefaultOrEmpty && status.MaxConcurrency > 0;

    public Task StartBotAsync(string botKey, BotDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(botKey);
        ArgumentNullException.ThrowIfNull(definition);

        // Checked here too so a bad definition fails without a round trip (the grain applies the same rules).
        var errors = definition.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Bot {botKey} cannot start: {string.Join("; ", errors)}", nameof(definition));
        }

        return CallAsync(async () =>
        {
            await Fleet.StartBotAsync(botKey, definition);
            return true;
        }, cancellationToken);
    }

    public Task StopBotAsync(string botKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(botKey);
        return CallAsync(async () =>
        {
            await Fleet.StopBotAsync(botKey);
            return true;
        }, cancellationToken);
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            // The grain interfaces take no token: the caller stops waiting, the call itself still completes.
            return await call().WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw Unavailable(_gatewayPort, ex);
        }
    }

    /// <summary>True for the failures that mean "no silo answered", as opposed to an error raised by a grain.</summary>
    internal static bool IsUnavailable(Exception exception) => exception is
        SiloUnavailableException or
        ConnectionFailedException or
        GatewayTooBusyException or
        OrleansMessageRejectionException or
        TimeoutException;

    internal static FleetUnavailableException Unavailable(int gatewayPort, Exception exception) =>
        new($"The BotFleet silo is unreachable at gateway 127.0.0.1:{gatewayPort} ({Describe(exception)}). Is the silo running?", exception);

    private static string Describe(Exception exception)
    {
        // Orleans' messages can run to several lines with endpoint dumps; the first line says enough.
        var message = exception.Message;
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}

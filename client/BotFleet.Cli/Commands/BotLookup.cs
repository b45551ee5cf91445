using BotFleet.Cli.Errors;
using BotFleet.Client;
using BotFleet.Contracts.Bots;

namespace BotFleet.Cli.Commands;

/// <summary>Resolves a bot key the user typed, so a typo is an error (exit 3) rather than a silent no-op on an empty grain.</summary>
internal static class BotLookup
{
    public static async Task<BotStatus> RequireAsync(IFleetClient fleet, string botKey, CancellationToken cancellationToken) =>
        await fleet.FindBotAsync(botKey, cancellationToken) ?? throw CliException.BotNotFound(botKey);
}

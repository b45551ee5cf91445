using Microsoft.Extensions.Options;

namespace BotFleet.Storage.Hosting;

/// <summary>Checks <see cref="BotFleetSqliteOptions"/> before the silo is built.</summary>
internal sealed class BotFleetSqliteOptionsValidator : IValidateOptions<BotFleetSqliteOptions>
{
    public ValidateOptionsResult Validate(string? name, BotFleetSqliteOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            failures.Add($"{nameof(BotFleetSqliteOptions)}.{nameof(options.DatabasePath)} is required: the path of the SQLite database file.");
        }

        if (!Enum.IsDefined(options.Clustering))
        {
            failures.Add($"{nameof(BotFleetSqliteOptions)}.{nameof(options.Clustering)} has the unknown value {options.Clustering}.");
        }

        if (options.Clustering == SqliteClusteringMode.Localhost)
        {
            CheckPort(failures, nameof(options.SiloPort), options.SiloPort);
            CheckPort(failures, nameof(options.GatewayPort), options.GatewayPort);
            if (options.SiloPort == options.GatewayPort)
            {
                failures.Add($"{nameof(BotFleetSqliteOptions)}.{nameof(options.SiloPort)} and {nameof(options.GatewayPort)} must differ (both are {options.SiloPort}).");
            }
        }

        if (options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{nameof(BotFleetSqliteOptions)}.{nameof(options.BusyTimeout)} must be between 0 and 10 minutes; it is {options.BusyTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPort(List<string> failures, string property, int port)
    {
        if (port is < 1 or > 65535)
        {
            failures.Add($"{nameof(BotFleetSqliteOptions)}.{property} must be between 1 and 65535; it is {port}.");
        }
    }
}

using Microsoft.Extensions.Options;
using Npgsql;

namespace BotFleet.Storage.Hosting;

/// <summary>Checks <see cref="BotFleetPostgreSqlOptions"/> before the silo is built; never echoes the connection string.</summary>
internal sealed class BotFleetPostgreSqlOptionsValidator : IValidateOptions<BotFleetPostgreSqlOptions>
{
    public ValidateOptionsResult Validate(string? name, BotFleetPostgreSqlOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail($"{nameof(BotFleetPostgreSqlOptions)}.{nameof(options.ConnectionString)} is required.");
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                return ValidateOptionsResult.Fail($"{nameof(BotFleetPostgreSqlOptions)}.{nameof(options.ConnectionString)} names no Host.");
            }
        }
        catch (ArgumentException)
        {
            // The exception text can quote the offending fragment, which may hold the password.
            return ValidateOptionsResult.Fail($"{nameof(BotFleetPostgreSqlOptions)}.{nameof(options.ConnectionString)} is not a valid Npgsql connection string.");
        }

        return ValidateOptionsResult.Success;
    }
}

using BotFleet.JobServer.Storage;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer;

/// <summary>Rules that relate two settings; a lease must outlive the heartbeat that renews it.</summary>
internal sealed class JobServerOptionsCrossFieldValidator : IValidateOptions<JobServerOptions>
{
    public ValidateOptionsResult Validate(string? name, JobServerOptions options)
    {
        var failures = new List<string>();
        if (options.HeartbeatInterval >= options.JobLeaseTtl)
        {
            failures.Add($"JobServer:HeartbeatInterval ({options.HeartbeatInterval}) must be less than JobServer:JobLeaseTtl ({options.JobLeaseTtl}), or leases expire between heartbeats.");
        }

        if (options.RetryBackoffBase > options.RetryBackoffMax)
        {
            failures.Add($"JobServer:RetryBackoffBase ({options.RetryBackoffBase}) must not exceed JobServer:RetryBackoffMax ({options.RetryBackoffMax}).");
        }

        if (options.MaxPayloadBytes > options.MaxRequestBytes)
        {
            failures.Add($"JobServer:MaxPayloadBytes ({options.MaxPayloadBytes}) must not exceed JobServer:MaxRequestBytes ({options.MaxRequestBytes}).");
        }

        if (options.Store == JobStoreKind.PostgreSql && string.IsNullOrWhiteSpace(options.PostgreSqlConnectionString))
        {
            failures.Add("JobServer:PostgreSqlConnectionString must be set when JobServer:Store is PostgreSql.");
        }

        if (!Enum.IsDefined(options.Store))
        {
            failures.Add($"JobServer:Store ({options.Store}) must be Sqlite or PostgreSql.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

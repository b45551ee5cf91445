using Microsoft.Extensions.Options;

namespace BotFleet.Client;

/// <summary>
/// Checks <see cref="BotFleetClientOptions"/> at start-up. Written by hand: the [OptionsValidator]
/// source generator drops the ErrorMessage of [Range] (dotnet/runtime#123137), which would
/// replace these messages, naming the configuration key, with generic ones.
/// </summary>
internal sealed class BotFleetClientOptionsValidator : IValidateOptions<BotFleetClientOptions>
{
    public ValidateOptionsResult Validate(string? name, BotFleetClientOptions options)
    {
        const string Section = BotFleetClientOptions.SectionName;
        var failures = new List<string>();
        if (options.GatewayPort is < 1 or > 65_535)
        {
            failures.Add($"{Section}:GatewayPort must be between 1 and 65535, got {options.GatewayPort}.");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{Section}:ClusterId must name the silo's cluster id.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{Section}:ServiceId must name the silo's service id.");
        }

        if (options.ConnectRetry < TimeSpan.Zero || options.ConnectRetry > BotFleetClientOptions.MaxConnectRetry)
        {
            failures.Add(
                $"{Section}:ConnectRetry (or its earlier spelling ConnectRetrySeconds) must be between {TimeSpan.Zero:c} and {BotFleetClientOptions.MaxConnectRetry:c}, got {options.ConnectRetry:c}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

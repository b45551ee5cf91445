using Microsoft.Extensions.Options;

namespace BotFleet.Silo.Hosting;

/// <summary>Rules between settings that attributes cannot state.</summary>
public sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var failures = new List<string>();
        if (options.Storage == SiloStorage.PostgreSql && string.IsNullOrWhiteSpace(options.PostgreSqlConnectionString))
        {
            failures.Add("BotFleet:Silo:PostgreSqlConnectionString is required when BotFleet:Silo:Storage is PostgreSql.");
        }

        if (!options.JobServerUrl.IsAbsoluteUri || options.JobServerUrl.Scheme is not ("http" or "https"))
        {
            failures.Add($"BotFleet:Silo:JobServerUrl must be an absolute http(s) URL, got '{options.JobServerUrl}'.");
        }

        if (options.AdvertisedAddress is { } address && !System.Net.IPAddress.TryParse(address, out _))
        {
            failures.Add($"BotFleet:Silo:AdvertisedAddress must be an IP address, got '{address}'.");
        }

        if (options.SiloPort == options.GatewayPort)
        {
            failures.Add($"BotFleet:Silo:SiloPort and BotFleet:Silo:GatewayPort must differ, both got '{options.SiloPort}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

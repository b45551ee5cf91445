using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Telemetry;

/// <summary>
/// Checks <see cref="TelemetryOptions"/> at start-up, so a collector address or a scrape path that cannot work stops
/// the host with the key named, instead of an exporter failing later (or never exporting).
/// </summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        const string Section = TelemetryOptions.SectionName;
        var failures = new List<string>();
        if (options.OtlpEndpoint is { } endpoint && !(endpoint.IsAbsoluteUri && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps)))
        {
            failures.Add($"{Section}:OtlpEndpoint must be an absolute http or https address (e.g. http://collector:4317), got '{endpoint.OriginalString}'.");
        }

        if (string.IsNullOrWhiteSpace(options.PrometheusPath) || !options.PrometheusPath.StartsWith('/'))
        {
            failures.Add($"{Section}:PrometheusPath must be a path starting with '/' (e.g. /metrics), got '{options.PrometheusPath}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Microsoft.Extensions.Options;
using Polly.Telemetry;

namespace BotFleet.JobApi.Client;

/// <summary>
/// Polly's telemetry logs every handled attempt and every retry of a pipeline as a Warning (the last attempt as an
/// Error), each with the exception's stack trace: while a job server was down that was thousands of lines a minute.
/// For the job API's pipeline every resilience event is logged at Debug; the caller that finally gives up (a bot's claim,
/// report, heartbeat or registration) logs one Warning naming the call and the reason. Other pipelines keep their
/// severities.
/// </summary>
internal sealed class JobApiTelemetrySeverity : IConfigureOptions<TelemetryOptions>
{
    public void Configure(TelemetryOptions options)
    {
        var others = options.SeverityProvider;
        options.SeverityProvider = args => IsJobApi(args.Source) ? AtMostDebug(args.Event.Severity) : others?.Invoke(args) ?? args.Event.Severity;
    }

    /// <summary>Microsoft.Extensions.Http.Resilience names a client's pipeline "{client name}-{pipeline name}".</summary>
    internal static bool IsJobApi(ResilienceTelemetrySource source) =>
        source.PipelineName?.EndsWith("-" + JobApiResilience.PipelineName, StringComparison.Ordinal) == true;

    private static ResilienceEventSeverity AtMostDebug(ResilienceEventSeverity severity) =>
        severity == ResilienceEventSeverity.None ? ResilienceEventSeverity.None : ResilienceEventSeverity.Debug;
}

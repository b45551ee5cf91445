namespace BotFleet.JobServer.Telemetry;

/// <summary>OpenTelemetry settings of a BotFleet host (section <see cref="SectionName"/>), the silo's and the standalone job server's.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "BotFleet:Telemetry";

    /// <summary>Exporters for metrics and traces: None (default), Otlp, Console, Prometheus, comma-separated.</summary>
    public TelemetryExporters Exporters { get; set; } = TelemetryExporters.None;

    /// <summary>
    /// The collector's OTLP endpoint (gRPC, e.g. http://collector:4317). Unset: OTEL_EXPORTER_OTLP_ENDPOINT, else the
    /// SDK's default http://localhost:4317.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>
    /// Path of the Prometheus scrape endpoint (default /metrics), guarded like the operator API: the API key when
    /// JobServer:ApiKey is set (X-Api-Key), else callers on the same machine only.
    /// </summary>
    public string PrometheusPath { get; set; } = "/metrics";
}

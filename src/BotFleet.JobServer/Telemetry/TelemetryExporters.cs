namespace BotFleet.JobServer.Telemetry;

/// <summary>Where metrics and traces go; several may be combined ("Otlp, Prometheus").</summary>
[Flags]
public enum TelemetryExporters
{
    /// <summary>Nothing is collected or exported: the instruments cost nothing (the default).</summary>
    None = 0,

    /// <summary>Metrics and traces to an OpenTelemetry collector over OTLP (<see cref="TelemetryOptions.OtlpEndpoint"/>).</summary>
    Otlp = 1,

    /// <summary>Metrics and traces written to the console, for a quick look.</summary>
    Console = 2,

    /// <summary>Metrics on a Prometheus scrape endpoint (<see cref="TelemetryOptions.PrometheusPath"/>).</summary>
    Prometheus = 4,
}

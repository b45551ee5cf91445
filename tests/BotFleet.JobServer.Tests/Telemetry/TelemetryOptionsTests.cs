using BotFleet.JobServer.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Tests.Telemetry;

public sealed class TelemetryOptionsTests
{
    [Theory]
    [InlineData("OtlpEndpoint", "collector:4317", "BotFleet:Telemetry:OtlpEndpoint must be an absolute http or https address (e.g. http://collector:4317), got 'collector:4317'.")]
    [InlineData("OtlpEndpoint", "/otlp", "BotFleet:Telemetry:OtlpEndpoint must be an absolute http or https address (e.g. http://collector:4317), got '/otlp'.")]
    [InlineData("PrometheusPath", "metrics", "BotFleet:Telemetry:PrometheusPath must be a path starting with '/' (e.g. /metrics), got 'metrics'.")]
    public async Task Start_InvalidTelemetrySetting_FailsWithClearMessage(string key, string value, string message)
    {
        // Refused while the app is built: mapping the scrape endpoint reads the options.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = ConfiguredServer.Create(("BotFleet:Telemetry:" + key, value));
            await app.StartAsync(TestContext.Current.CancellationToken);
        });

        Assert.Equal([message], error.Failures);
    }

    [Fact]
    public async Task Start_ValidTelemetrySettings_Starts()
    {
        await using var app = ConfiguredServer.Create(
            ("BotFleet:Telemetry:OtlpEndpoint", "http://127.0.0.1:4317"),
            ("BotFleet:Telemetry:PrometheusPath", "/custom-metrics"));

        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}

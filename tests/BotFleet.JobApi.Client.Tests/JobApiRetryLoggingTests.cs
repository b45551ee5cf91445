using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Polly;

namespace BotFleet.JobApi.Client.Tests;

/// <summary>
/// While the job server is down a call's retries are logged at Debug, without a warning (and its stack trace) per
/// attempt; the caller reports the final failure. Other resilience pipelines keep Polly's severities.
/// </summary>
public sealed class JobApiRetryLoggingTests : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private int _attempts;

    public JobApiRetryLoggingTests()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddJobApiClient(new Uri("http://job-server.test/"), TimeSpan.FromSeconds(30))
            .AddJobApiResilience(o => o.BaseDelay = TimeSpan.FromMilliseconds(1))
            .ConfigurePrimaryHttpMessageHandler(() => new StubHandler((_, _) =>
            {
                Interlocked.Increment(ref _attempts);
                throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (job-server.test:80)");
            }));
        services.AddResiliencePipeline("other", pipeline => pipeline.AddRetry(new() { MaxRetryAttempts = 1, Delay = TimeSpan.Zero }));
        _services = services.BuildServiceProvider();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServerDown_RetriesAreLoggedAtDebugOnly_WithoutAWarningPerAttempt()
    {
        var client = _services.GetRequiredService<IJobApiClient>();

        await Assert.ThrowsAsync<JobApiException>(() => client.CompleteAsync("job_1", new CompleteRequest("instance", JsonSerializer.SerializeToElement(1)), "token", Ct));

        var polly = _services.GetFakeLogCollector().GetSnapshot().Where(r => r.Category == "Polly").ToList();
        Assert.Equal(4, _attempts);
        Assert.Equal(3, polly.Count(r => r.Message.Contains("EventName: 'OnRetry'", StringComparison.Ordinal)));
        Assert.Equal(4, polly.Count(r => r.Message.StartsWith("Execution attempt.", StringComparison.Ordinal)));
        Assert.All(polly, r => Assert.Equal(LogLevel.Debug, r.Level));
    }

    [Fact]
    public async Task OtherPipelines_KeepPollysWarnings()
    {
        var other = _services.GetRequiredService<Polly.Registry.ResiliencePipelineProvider<string>>().GetPipeline("other");
        var calls = 0;

        await other.ExecuteAsync(_ => ++calls == 1 ? throw new InvalidOperationException("first") : ValueTask.CompletedTask, Ct);

        var retry = Assert.Single(_services.GetFakeLogCollector().GetSnapshot(), r => r.Message.Contains("EventName: 'OnRetry'", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, retry.Level);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}

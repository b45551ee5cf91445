using System.Diagnostics;
using System.Net;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Telemetry;
using BotFleet.JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BotFleet.JobServer.Tests.Telemetry;

/// <summary>A server exporting to Prometheus, with an in-memory exporter beside it for the tests to read.</summary>
public sealed class PrometheusJobServerFixture : JobServerFixture
{
    public List<MetricSnapshot> Exported { get; } = [];

    /// <summary>Spans, exported as each one stops (the in-memory exporter is synchronous); read under its lock.</summary>
    public List<Activity> Spans { get; } = [];

    public MeterProvider Meters => App.Services.GetRequiredService<MeterProvider>();

    protected override IEnumerable<(string Key, string Value)> HostSettings() =>
        [($"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.Exporters)}", "Prometheus")];

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Exported));
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
    }
}

/// <summary>
/// Runs alone, and no other server starts or stops while it runs: an OpenTelemetry meter provider listens to every
/// meter of its name in the process and merges same-named instruments into one metric, and when another server's meter
/// is disposed that metric is retired, so this server's later measurements were missing from the scrape (CI runs of
/// stop 27; the keyed server below used to be started and disposed inside this class).
/// </summary>
[Collection(Name)]
public sealed class TelemetryTests(PrometheusJobServerFixture server) : IClassFixture<PrometheusJobServerFixture>
{
    public const string Name = "Telemetry, alone";

    [Fact]
    public async Task DeadJob_IsCountedOnTheMeterAndOnTheScrapeEndpoint()
    {
        var op = TestJobs.NewOp("telemetry");
        var registration = TestJobs.Registration([op]);
        var bot = await server.Client.RegisterAsync(registration, TestJobs.Token);
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add(await server.Client.SubmitOneAsync(op, maxAttempts: 1));
        }

        foreach (var job in await server.Client.ClaimJobsAsync(bot, 10, op))
        {
            Assert.Equal(ReportDelivery.Accepted, await server.Client.FailAsync(bot, job.Id, registration.InstanceId));
        }

        await server.Client.RequeueJobsAsync(new JobSelectionRequest([ids[0]]), TestJobs.Token);

        // Scraped before the flush below: a flush also collects the Prometheus reader, outside a scrape. A scrape is a
        // pull, so it is asked again for up to 5 s rather than once.
        var line = new System.Text.RegularExpressions.Regex($"\nbotfleet_jobs_dead_total\\{{[^}}]*op=\"{op}\"[^}}]*\\}} 2( |\n)");
        var scrape = await server.Http.GetStringAsync("metrics", TestJobs.Token);
        for (var retry = 0; retry < 50 && !line.IsMatch(scrape); retry++)
        {
            await Task.Delay(100, TestJobs.Token);
            scrape = await server.Http.GetStringAsync("metrics", TestJobs.Token);
        }

        // The Prometheus reader is pulled, not pushed, so the flush reports false; the in-memory reader is flushed all the same.
        server.Meters.ForceFlush(10_000);

        Assert.Matches(line, scrape);
        Assert.Equal(2, SumOf("botfleet.jobs.dead", op));
        Assert.Equal(1, SumOf("botfleet.jobs.requeued", op));
    }

    [Fact]
    public async Task QueueGauges_ShowCountsPerStatusAndTheOldestPendingAgePerOperation()
    {
        var op = TestJobs.NewOp("gauges");
        await server.Client.SubmitOneAsync(op);
        server.Time.Advance(TimeSpan.FromSeconds(90));
        await server.Client.SubmitOneAsync(op);

        await server.App.Services.GetRequiredService<JobQueueGauges>().RefreshAsync(TestJobs.Token);
        var scrape = await server.Http.GetStringAsync("metrics", TestJobs.Token);

        Assert.Matches($"\nbotfleet_jobs_count\\{{[^}}]*op=\"{op}\",status=\"pending\"\\}} 2\n", scrape);
        Assert.Matches($"\nbotfleet_jobs_count\\{{[^}}]*op=\"{op}\",status=\"dead\"\\}} 0\n", scrape);
        Assert.Matches($"\nbotfleet_queue_oldest_pending_age_seconds\\{{[^}}]*op=\"{op}\"\\}} 90\n", scrape);
    }

    [Fact]
    public async Task SubmitInATrace_TheClaimHandsTheBotTheServerSpanOfThatSubmit()
    {
        var op = TestJobs.NewOp("traced");
        var bot = await server.Client.RegisterAsync(TestJobs.Registration([op]), TestJobs.Token);
        using var source = new ActivitySource("BotFleet.Tests.Submitter");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        ActivityTraceId submitterTrace;
        using (var submitter = source.StartActivity("submit jobs"))
        {
            submitterTrace = submitter!.TraceId;
            await server.Client.SubmitOneAsync(op);
        }

        var untraced = await server.Client.SubmitOneAsync(op);

        var claimed = await server.Client.ClaimJobsAsync(bot, 10, op);
        var traced = JobTraceContext.ParentOf(claimed[0].TraceParent);
        Assert.Equal(submitterTrace, traced.TraceId);
        // The submit's own server span is the parent the bot gets, and it is exported.
        Activity? submitSpan = null;
        for (var retry = 0; retry < 50 && submitSpan is null; retry++)
        {
            lock (server.Spans)
            {
                submitSpan = server.Spans.SingleOrDefault(s => s.SpanId == traced.SpanId);
            }

            if (submitSpan is null)
            {
                await Task.Delay(100, TestJobs.Token);
            }
        }

        Assert.NotNull(submitSpan);
        Assert.Equal((ActivityKind.Server, "POST /v1/jobs/"), (submitSpan.Kind, submitSpan.DisplayName));
        // A submit outside any trace gets the server's span as the root of a trace of its own.
        Assert.Equal(untraced, claimed[1].Id);
        var ownTrace = JobTraceContext.ParentOf(claimed[1].TraceParent);
        Assert.NotEqual(default, ownTrace.TraceId);
        Assert.NotEqual(submitterTrace, ownTrace.TraceId);
    }

    private long SumOf(string instrument, string op) =>
        server.Exported
            .Where(m => m.Name == instrument)
            .SelectMany(m => m.MetricPoints)
            .Where(p => (string?)Tag(p, "op") == op)
            .Select(p => p.GetSumLong())
            .LastOrDefault();

    private static object? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value;
            }
        }

        return null;
    }
}

/// <summary>
/// The scrape endpoint behind the API key: its own class (in the same lone collection), so its server starts and stops
/// before or after <see cref="TelemetryTests"/>, never while that class's server measures.
/// </summary>
[Collection(TelemetryTests.Name)]
public sealed class TelemetryAccessTests
{
    [Fact]
    public async Task ScrapeEndpoint_WithAnApiKeyConfigured_RefusesCallersWithoutIt()
    {
        await using var keyed = new KeyedPrometheusJobServerFixture();
        await keyed.InitializeAsync();
        using var withKey = new HttpRequestMessage(HttpMethod.Get, "metrics");
        withKey.Headers.Add(JobApiHeaders.ApiKey, KeyedJobServerFixture.ApiKey);

        using var without = await keyed.Http.GetAsync("metrics", TestJobs.Token);
        using var with = await keyed.Http.SendAsync(withKey, TestJobs.Token);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (without.StatusCode, with.StatusCode));
    }

    private sealed class KeyedPrometheusJobServerFixture : JobServerFixture
    {
        protected override IEnumerable<(string Key, string Value)> Settings() => [("ApiKey", KeyedJobServerFixture.ApiKey)];

        protected override IEnumerable<(string Key, string Value)> HostSettings() =>
            [($"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.Exporters)}", "Prometheus")];
    }
}

[CollectionDefinition(TelemetryTests.Name, DisableParallelization = true)]
public sealed class TelemetryCollection;

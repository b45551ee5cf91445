using BotFleet.JobApi.Client;
using BotFleet.JobServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.JobServer.Tests.Infrastructure;

/// <summary>
/// A real job server on Kestrel (127.0.0.1, random port) over its own temp SQLite file, with a
/// fake clock. One per test class; tests in a class keep apart by using their own op names.
/// </summary>
public class JobServerFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset StartTime = new(2025, 1, 19, 10, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "botfleet-jobserver-tests", Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Time { get; } = new(StartTime);

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Raw HTTP, for what the typed client cannot send (bad JSON, wrong types).</summary>
    public HttpClient Http { get; private set; } = null!;

    public JobApiClient Client { get; private set; } = null!;

    public IJobStore Store => App.Services.GetRequiredService<IJobStore>();

    public JobServerOptions Options => App.Services.GetRequiredService<IOptions<JobServerOptions>>().Value;

    public string DatabasePath => Path.Combine(_directory, "jobs.db");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        App = JobServerApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration["JobServer:DatabasePath"] = DatabasePath;
            foreach (var (key, value) in BaseSettings.Concat(Settings()))
            {
                builder.Configuration["JobServer:" + key] = value;
            }

            foreach (var (key, value) in HostSettings())
            {
                builder.Configuration[key] = value;
            }

            builder.Services.AddSingleton<TimeProvider>(Time);
            ConfigureServices(builder.Services);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await App.StartAsync(TestContext.Current.CancellationToken);
        BaseAddress = new Uri(App.Urls.Single() + "/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Client = new JobApiClient(new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) }, null, Time);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp file is not worth failing a test run.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Rate limits far above what any test sends (the concurrency test makes thousands of calls per bot within
    /// seconds); fixtures that test limiting override them.
    /// </summary>
    private static readonly (string Key, string Value)[] BaseSettings =
    [
        ("RateLimits:PerBotPerSecond", "100000"),
        ("RateLimits:PerBotBurst", "1000000"),
        ("RateLimits:GlobalPerSecond", "1000000"),
        ("RateLimits:GlobalBurst", "10000000"),
    ];

    /// <summary>Replaces services for a fixture variant (runs after the job server's services are added).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Extra "JobServer" settings for a fixture variant (applied after, and so over, the base settings).</summary>
    protected virtual IEnumerable<(string Key, string Value)> Settings() => [];

    /// <summary>Settings outside the JobServer section, by their full key (BotFleet:Telemetry:Exporters, say).</summary>
    protected virtual IEnumerable<(string Key, string Value)> HostSettings() => [];
}

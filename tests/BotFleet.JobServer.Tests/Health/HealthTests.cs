using System.Net;
using System.Reflection;
using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Storage.Sqlite;
using BotFleet.JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.JobServer.Tests.Health;

public sealed class HealthTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Theory]
    [InlineData("health/live")]
    [InlineData("health/ready")]
    public async Task Health_StoreReachable_Answers200Healthy(string path)
    {
        using var response = await server.Http.GetAsync(path, TestJobs.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestJobs.Token));
    }
}

/// <summary>A server whose store fails every call after start-up.</summary>
public sealed class BrokenStoreJobServerFixture : JobServerFixture
{
    public bool Broken { get; set; }

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IJobStore>(provider =>
        {
            var proxy = DispatchProxy.Create<IJobStore, BreakableStore>();
            ((BreakableStore)(object)proxy).Setup(provider.GetRequiredService<SqliteJobStore>(), () => Broken);
            return proxy;
        });

    public class BreakableStore : DispatchProxy
    {
        private IJobStore _inner = null!;
        private Func<bool> _broken = null!;

        public void Setup(IJobStore inner, Func<bool> broken) => (_inner, _broken) = (inner, broken);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            _broken() && targetMethod!.Name != nameof(IJobStore.InitializeAsync)
                ? throw new InvalidOperationException("The database is gone.")
                : targetMethod!.Invoke(_inner, args);
    }
}

public sealed class BrokenStoreHealthTests(BrokenStoreJobServerFixture server) : IClassFixture<BrokenStoreJobServerFixture>
{
    [Fact]
    public async Task Ready_StoreFailing_Answers503WhileLiveStays200()
    {
        server.Broken = true;
        try
        {
            using var ready = await server.Http.GetAsync("health/ready", TestJobs.Token);
            using var live = await server.Http.GetAsync("health/live", TestJobs.Token);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync(TestJobs.Token));
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            server.Broken = false;
        }
    }
}

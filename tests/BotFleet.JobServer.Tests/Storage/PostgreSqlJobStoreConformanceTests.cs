using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Telemetry;
using BotFleet.JobServer.Storage.PostgreSql;
using BotFleet.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotFleet.JobServer.Tests.Storage;

/// <summary>The conformance suite on PostgreSQL: a new database per test (each test owns its fake clock).</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlJobStoreConformanceTests(PostgresFixture postgres) : JobStoreConformanceTests
{
    protected override int ConcurrentClaimers => 16;

    protected override async Task<IJobStore> CreateStoreAsync(JobServerOptions options, TimeProvider time, JobEvents events)
    {
        options.Store = JobStoreKind.PostgreSql;
        options.PostgreSqlConnectionString = await postgres.CreateDatabaseAsync();
        return new PostgreSqlJobStore(Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<PostgreSqlJobStore>.Instance, events: events);
    }

    protected override Task FoldStatusCountsAsync() => ((PostgreSqlJobStore)Store).FoldStatusCountsAsync(TestContext.Current.CancellationToken);
}

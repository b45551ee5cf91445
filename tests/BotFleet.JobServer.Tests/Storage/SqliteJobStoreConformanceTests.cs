using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Telemetry;
using BotFleet.JobServer.Storage.Sqlite;
using BotFleet.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotFleet.JobServer.Tests.Storage;

/// <summary>The conformance suite on SQLite: a new database file per test.</summary>
public sealed class SqliteJobStoreConformanceTests : JobStoreConformanceTests
{
    private readonly TempDirectory _folder = new("botfleet-jobstore-");

    protected override int ConcurrentClaimers => 8;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }

    protected override Task<IJobStore> CreateStoreAsync(JobServerOptions options, TimeProvider time, JobEvents events)
    {
        options.DatabasePath = _folder.File("jobs.db");
        return Task.FromResult<IJobStore>(new SqliteJobStore(Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<SqliteJobStore>.Instance, events: events));
    }
}

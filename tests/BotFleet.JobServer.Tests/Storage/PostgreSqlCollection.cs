using BotFleet.Testing;

namespace BotFleet.JobServer.Tests.Storage;

/// <summary>Tests that share one PostgreSQL server (started once); each test still works in a database of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "JobServer PostgreSql";
}

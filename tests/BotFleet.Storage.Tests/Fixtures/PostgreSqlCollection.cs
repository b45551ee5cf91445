namespace BotFleet.Storage.Tests.Fixtures;

/// <summary>Tests that share one PostgreSQL server; each test still works in its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSql";
}

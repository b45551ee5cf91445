namespace BotFleet.Storage.Schema;

/// <summary>The database flavours whose schema scripts this assembly embeds.</summary>
internal enum SqlDialect
{
    Sqlite,
    PostgreSql,
}

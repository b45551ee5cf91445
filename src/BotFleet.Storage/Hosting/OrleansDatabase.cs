using System.Data.Common;

namespace BotFleet.Storage.Hosting;

/// <summary>
/// The database the Orleans providers of one silo share: one data source (owned here, disposed with the silo's
/// service provider, since Orleans never disposes a data source it is given) and the schema installer for it.
/// </summary>
internal sealed class OrleansDatabase(
    string invariant,
    DbDataSource dataSource,
    string displayName,
    Func<CancellationToken, Task>? ensureSchema) : IAsyncDisposable
{
    /// <summary>ADO.NET invariant name the providers are configured with.</summary>
    public string Invariant { get; } = invariant;

    /// <summary>Shared data source; connections from it are ready for use.</summary>
    public DbDataSource DataSource { get; } = dataSource;

    /// <summary>Safe to log: names the database without credentials.</summary>
    public string DisplayName { get; } = displayName;

    /// <summary>Creates or updates the schema; null when the host opted out.</summary>
    public Func<CancellationToken, Task>? EnsureSchema { get; } = ensureSchema;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace BotFleet.Storage.Hosting;

/// <summary>
/// Ensures the schema at the very first silo lifecycle stage. Membership and reminders start at
/// <see cref="ServiceLifecycleStage.RuntimeGrainServices"/> and grain storage at
/// <see cref="ServiceLifecycleStage.ApplicationServices"/>, so every provider finds its queries in place.
/// </summary>
internal sealed partial class SchemaInstaller(OrleansDatabase database, ILogger<SchemaInstaller> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ILogger _logger = logger;

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (database.EnsureSchema is null)
        {
            return;
        }

        lifecycle.Subscribe(nameof(SchemaInstaller), ServiceLifecycleStage.First, EnsureAsync);
    }

    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await database.EnsureSchema!(cancellationToken);
        }
        catch (Exception exception)
        {
            LogSchemaFailed(exception, database.DisplayName);
            throw;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        LogSchemaEnsured(database.DisplayName, elapsed.TotalMilliseconds);
    }
}

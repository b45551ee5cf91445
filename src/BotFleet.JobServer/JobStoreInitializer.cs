using BotFleet.JobServer.Storage;
using Microsoft.Extensions.Hosting;

namespace BotFleet.JobServer;

/// <summary>Creates the schema at start-up, so a bad database path fails the start rather than the first request.</summary>
internal sealed class JobStoreInitializer(IJobStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

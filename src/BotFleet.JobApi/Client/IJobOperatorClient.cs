using BotFleet.JobApi.Wire;

namespace BotFleet.JobApi.Client;

/// <summary>Operator calls of job API v1 beyond <see cref="IJobProducerClient"/>.</summary>
public interface IJobOperatorClient
{
    /// <returns>The bot's new assignment, or null when the server does not know the bot (404).</returns>
    Task<BotAssignment?> UpdateAssignmentAsync(string botId, UpdateAssignmentRequest request, CancellationToken cancellationToken);
}

using BotFleet.JobApi.Contracts;

namespace BotFleet.JobApi.Client;

/// <summary>
/// The batched report call of job API v1 (POST /v1/jobs/reports), apart from <see cref="IJobApiClient"/>
/// so existing implementers need not change. Errors throw <see cref="JobApiException"/> as in IJobApiClient.
/// </summary>
public interface IJobReportBatchClient
{
    /// <returns>One result per report, in input order (status accepted, conflict, not_found, invalid or forbidden).</returns>
    Task<IReadOnlyList<ReportBatchItemResult>> ReportBatchAsync(IReadOnlyList<ReportBatchItem> reports, string accessToken, CancellationToken cancellationToken);
}

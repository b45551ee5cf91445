using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Wire;

namespace BotFleet.Scheduling.Outbox;

/// <summary>Turns a <see cref="JobReport"/> into its complete/fail call.</summary>
public static class JobReportSender
{
    /// <exception cref="CorruptReportException">The report can never be sent as it is.</exception>
    /// <exception cref="JobApiException">The server did not take it (transient or permanent).</exception>
    public static Task<ReportDelivery> SendAsync(this IJobApiClient api, JobReport report, string accessToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(report.JobId) || string.IsNullOrWhiteSpace(report.InstanceId))
        {
            throw new CorruptReportException("report has no job id or no instance id");
        }

        switch (report.Kind)
        {
            case ReportKind.Complete:
                return api.CompleteAsync(report.JobId, new CompleteRequest(report.InstanceId, ParseResult(report.ResultJson)), accessToken, cancellationToken);
            case ReportKind.Fail:
                if (report.Error is null)
                {
                    throw new CorruptReportException("fail report has no error message");
                }

                return api.FailAsync(report.JobId, new FailRequest(report.InstanceId, report.Error), accessToken, cancellationToken);
            default:
                throw new CorruptReportException($"unknown report kind {(int)report.Kind}");
        }
    }

    private static JsonElement ParseResult(string? resultJson)
    {
        if (resultJson is null)
        {
            throw new CorruptReportException("complete report has no result");
        }

        try
        {
            using var document = JsonDocument.Parse(resultJson);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new CorruptReportException($"complete report's result is not valid JSON: {ex.Message}", ex);
        }
    }
}

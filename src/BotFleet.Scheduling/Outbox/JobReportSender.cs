using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Scheduling.Outbox;

/// <summary>Turns a <see cref="JobReport"/> into its complete/fail call, or into an item of a batch report.</summary>
public static class JobReportSender
{
    /// <exception cref="CorruptReportException">The report can never be sent as it is.</exception>
    /// <exception cref="JobApiException">The server did not take it (transient or permanent).</exception>
    public static Task<ReportDelivery> SendAsync(this IJobApiClient api, JobReport report, string accessToken, CancellationToken cancellationToken)
    {
        var item = report.ToBatchItem();
        return item.Action == ReportActions.Complete
            ? api.CompleteAsync(item.JobId, new CompleteRequest(item.InstanceId, item.Result!.Value), accessToken, cancellationToken)
            : api.FailAsync(item.JobId, new FailRequest(item.InstanceId, item.Error!), accessToken, cancellationToken);
    }

    /// <summary>The report as an item of POST /v1/jobs/reports.</summary>
    /// <exception cref="CorruptReportException">The report can never be sent as it is.</exception>
    public static ReportBatchItem ToBatchItem(this JobReport report)
    {
        if (string.IsNullOrWhiteSpace(report.JobId) || string.IsNullOrWhiteSpace(report.InstanceId))
        {
            throw new CorruptReportException("report has no job id or no instance id");
        }

        return report.Kind switch
        {
            ReportKind.Complete => ReportBatchItem.Complete(report.JobId, new CompleteRequest(report.InstanceId, ParseResult(report.ResultJson))),
            ReportKind.Fail when report.Error is not null => ReportBatchItem.Fail(report.JobId, new FailRequest(report.InstanceId, report.Error)),
            ReportKind.Fail => throw new CorruptReportException("fail report has no error message"),
            _ => throw new CorruptReportException($"unknown report kind {(int)report.Kind}"),
        };
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

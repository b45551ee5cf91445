using System.Net;
using BotFleet.JobApi.Client;
using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Outbox;

internal sealed partial class ReportPipeline
{
    [LoggerMessage(EventId = SchedulingLogEvents.ReportsDeferred, Level = LogLevel.Warning, Message = "Bot {BotKey}: {Count} report(s), from job {JobId} on, not delivered; kept in the outbox: {Reason}")]
    private partial void LogReportsDeferred(string botKey, int count, string jobId, string reason);

    [LoggerMessage(EventId = SchedulingLogEvents.OutboxFlushStopped, Level = LogLevel.Warning, Message = "Bot {BotKey}: outbox flush stopped after {Delivered} report(s) at job {JobId}; it and all later reports are kept: {Reason}")]
    private partial void LogOutboxFlushStopped(string botKey, int delivered, string jobId, string reason);

    [LoggerMessage(EventId = SchedulingLogEvents.ReportRefused, Level = LogLevel.Warning, Message = "Bot {BotKey}: {Kind} report for job {JobId} refused ({Delivery}); dropped")]
    private partial void LogReportRefused(string botKey, string jobId, ReportKind kind, ReportDelivery delivery);

    [LoggerMessage(EventId = SchedulingLogEvents.ReportRejected, Level = LogLevel.Error, Message = "Bot {BotKey}: {Kind} report for job {JobId} rejected with {StatusCode}; dropped")]
    private partial void LogReportRejected(string botKey, string jobId, ReportKind kind, HttpStatusCode? statusCode, Exception exception);

    // The warnings above name a delivery's fault in one line, as a server that is down fails every flush; the exception
    // itself (its type, stack and inner faults) is logged here, at Debug, for when that line is not enough.
    [LoggerMessage(EventId = SchedulingLogEvents.DeliveryFaultDetail, Level = LogLevel.Debug, Message = "Bot {BotKey}: delivering the report for job {JobId} failed")]
    private partial void LogDeliveryFaultDetail(string botKey, string jobId, Exception exception);

    [LoggerMessage(EventId = SchedulingLogEvents.ReportQuarantined, Level = LogLevel.Error, Message = "Bot {BotKey}: report for job {JobId} quarantined: {Reason}")]
    private partial void LogReportQuarantined(string botKey, string jobId, string reason);

    [LoggerMessage(EventId = SchedulingLogEvents.ReportBatchUnsupported, Level = LogLevel.Information, Message = "Bot {BotKey}: the job server has no batch report endpoint; reports go one by one")]
    private partial void LogReportBatchUnsupported(string botKey);

    [LoggerMessage(EventId = SchedulingLogEvents.ReportItemRefused, Level = LogLevel.Warning, Message = "Bot {BotKey}: {Kind} report for job {JobId} refused in a batch ({Status}: {Reason}); dropped")]
    private partial void LogReportItemRefused(string botKey, string jobId, ReportKind kind, string status, string? reason);

    [LoggerMessage(EventId = SchedulingLogEvents.ResultRefused, Level = LogLevel.Warning, Message = "Bot {BotKey}: the server refused the result of job {JobId}; reporting the job failed: {Reason}")]
    private partial void LogResultRefused(string botKey, string jobId, string reason);

    [LoggerMessage(EventId = SchedulingLogEvents.SettleFailed, Level = LogLevel.Error, Message = "Bot {BotKey}: settling a report batch failed")]
    private partial void LogSettleFailed(string botKey, Exception exception);
}

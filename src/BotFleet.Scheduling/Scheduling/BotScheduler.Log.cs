using System.Collections.Immutable;
using System.Net;
using BotFleet.JobApi.Client;
using BotFleet.Scheduling.Outbox;
using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Scheduling;

public sealed partial class BotScheduler
{
    [LoggerMessage(EventId = SchedulingLogEvents.BotRegistered, Level = LogLevel.Information, Message = "Bot {BotKey} registered as {BotId} (instance {InstanceId}, max_concurrency {MaxConcurrency}, batch {BatchSize})")]
    private partial void LogRegistered(string botKey, string botId, string instanceId, int maxConcurrency, int batchSize);

    [LoggerMessage(EventId = SchedulingLogEvents.RegistrationFailed, Level = LogLevel.Warning, Message = "Bot {BotKey} could not register: {Reason}")]
    private partial void LogRegistrationFailed(string botKey, string reason);

    [LoggerMessage(EventId = SchedulingLogEvents.ClaimFailed, Level = LogLevel.Warning, Message = "Bot {BotKey} claim failed; backing off: {Reason}")]
    private partial void LogClaimFailed(string botKey, string reason);

    [LoggerMessage(EventId = SchedulingLogEvents.MalformedJobSkipped, Level = LogLevel.Warning, Message = "Bot {BotKey} skipped a malformed job without an id: {Reason}")]
    private partial void LogMalformedJobSkipped(string botKey, string reason);

    [LoggerMessage(EventId = SchedulingLogEvents.MalformedJobRejected, Level = LogLevel.Warning, Message = "Bot {BotKey} rejected malformed job {JobId}: {Reason}")]
    private partial void LogMalformedJobRejected(string botKey, string jobId, string reason);

    [LoggerMessage(EventId = SchedulingLogEvents.WorkerCallFailed, Level = LogLevel.Error, Message = "Bot {BotKey}: worker call for job {JobId} failed")]
    private partial void LogWorkerCallFailed(string botKey, string jobId, Exception exception);

    [LoggerMessage(EventId = SchedulingLogEvents.WorkerCallNotSent, Level = LogLevel.Warning, Message = "Bot {BotKey}: worker call for job {JobId} could not be sent; sending it again in {PauseMs} ms: {Reason}")]
    private partial void LogWorkerCallNotSent(string botKey, string jobId, double pauseMs, string reason);

    [LoggerMessage(EventId = SchedulingLogEvents.JobRefused, Level = LogLevel.Warning, Message = "Bot {BotKey}: job {JobId} reported failed: {Reason}")]
    private partial void LogJobRefused(string botKey, string jobId, string reason);

    [LoggerMessage(EventId = SchedulingLogEvents.OutboxSaveFailed, Level = LogLevel.Error, Message = "Bot {BotKey}: saving the outbox ({Count} report(s)) failed; retried before the next claim")]
    private partial void LogOutboxSaveFailed(string botKey, int count, Exception exception);

    // A server that is down fails every call for minutes: the warnings above name the fault in one line, and the exception
    // itself (its type, stack and inner faults) is logged here, at Debug, for when that line is not enough.
    [LoggerMessage(EventId = SchedulingLogEvents.BotFaultDetail, Level = LogLevel.Debug, Message = "Bot {BotKey}: {Call} failed")]
    private partial void LogFaultDetail(string botKey, string call, Exception exception);

    [LoggerMessage(EventId = SchedulingLogEvents.HeartbeatFailed, Level = LogLevel.Warning, Message = "Bot {BotKey}: heartbeat failed: {Reason}")]
    private partial void LogHeartbeatFailed(string botKey, string reason);

    [LoggerMessage(EventId = SchedulingLogEvents.AssignmentChanged, Level = LogLevel.Information, Message = "Bot {BotKey}: assignment changed: operations {Operations}, max_concurrency {MaxConcurrency}, paused {Paused}")]
    private partial void LogAssignmentChanged(string botKey, ImmutableArray<string> operations, int maxConcurrency, bool paused);

    [LoggerMessage(EventId = SchedulingLogEvents.JobCancelRequested, Level = LogLevel.Information, Message = "Bot {BotKey}: job {JobId} was cancelled by an operator; its handler was asked to stop")]
    private partial void LogJobCancelRequested(string botKey, string jobId);
}

using System.Diagnostics;
using System.Text.Json;
using BotFleet.Contracts.Jobs;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Registry;
using BotFleet.Scheduling.Tracing;
using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Execution;

/// <summary>
/// Runs one job through the registry under its operation's timeout. Always returns an
/// outcome: unknown operations, handler exceptions, timeouts and unserialisable results
/// all become failures with a message that says what happened.
/// </summary>
public sealed partial class JobExecutor(JobRegistry registry, TimeProvider timeProvider, ILogger<JobExecutor> logger, RunningJobBoard? board = null)
{
    /// <summary>The error of an attempt an operator cancelled: the bot reports it failed, and the server ends the job cancelled.</summary>
    public static string CancelledError(string op) => $"cancelled: op={op} was stopped because an operator cancelled the job";

    public Task<JobOutcome> RunAsync(JobWork work, CancellationToken cancellationToken = default) =>
        JobTracing.StartHandler(work) is { } span ? RunTracedAsync(work, span, cancellationToken) : RunHandlerAsync(work, cancellationToken);

    private async Task<JobOutcome> RunTracedAsync(JobWork work, Activity span, CancellationToken cancellationToken)
    {
        using (span)
        {
            var outcome = await RunHandlerAsync(work, cancellationToken);
            if (!outcome.Succeeded)
            {
                span.SetStatus(ActivityStatusCode.Error, outcome.Error);
            }

            return outcome;
        }
    }

    private async Task<JobOutcome> RunHandlerAsync(JobWork work, CancellationToken cancellationToken)
    {
        if (!registry.TryResolve(work.Op, out var handler, out var timeout))
        {
            return JobOutcome.Failure(work.JobId, $"no handler for op={work.Op}");
        }

        // Parsed once, and kept (not copied) until the result is serialised: a handler may return the payload itself.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(work.PayloadJson);
        }
        catch (JsonException ex)
        {
            return JobOutcome.Failure(work.JobId, $"malformed job: payload is not valid JSON ({ex.Message})");
        }

        using var payloadDocument = document;
        var payload = document.RootElement;

        // The timeout's source is also the one the board cancels for an operator: one source per job, not two.
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        var running = board?.Start(work.JobId, timeoutSource);
        try
        {
            var result = await handler.HandleAsync(new JobContext(work.JobId, work.Op, payload, work.Attempt) { Running = running }, linked.Token);
            return JobOutcome.Success(work.JobId, JsonSerializer.Serialize(result, JobApiJson.Options));
        }
        catch (OperationCanceledException) when (running is { CancelledByOperator: true })
        {
            // Logged once, by the bot that asked the board to stop it.
            return JobOutcome.Failure(work.JobId, CancelledError(work.Op));
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested)
        {
            LogJobTimedOut(work.JobId, work.Op, timeout);
            return JobOutcome.Failure(work.JobId, $"timeout: op={work.Op} exceeded its timeout of {FormatTimeout(timeout)}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return JobOutcome.Failure(work.JobId, $"cancelled: op={work.Op} was cancelled because its worker is shutting down");
        }
        catch (JobFailedException ex)
        {
            LogJobRejected(work.JobId, work.Op, ex.Message);
            return JobOutcome.Failure(work.JobId, ex.Message);
        }
        catch (Exception ex)
        {
            LogJobFailed(work.JobId, work.Op, ex);
            return JobOutcome.Failure(work.JobId, ex.Message);
        }
        finally
        {
            if (running is not null)
            {
                board!.Finish(work.JobId, running);
            }
        }
    }

    private static string FormatTimeout(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1 && timeout.Milliseconds == 0 ? $"{timeout.TotalSeconds:0}s" : $"{timeout.TotalMilliseconds:0}ms";
}

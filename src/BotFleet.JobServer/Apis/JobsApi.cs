using System.Globalization;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Auth;
using BotFleet.JobServer.Claims;
using BotFleet.JobServer.Requests;
using BotFleet.JobServer.Responses;
using BotFleet.JobServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Apis;

/// <summary>The job endpoints of job API v1: claim and report (bots), submit, inspect and list (producers).</summary>
public static partial class JobsApi
{
    private const string LogCategory = "BotFleet.JobServer.Apis.JobsApi";

    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/jobs").WithTags("Jobs").WithGroupName(JobServerOpenApi.DocumentName);

        group.MapPost("/claim", ClaimAsync)
            .RequireBotToken()
            .WithName("JobApi.ClaimJobs")
            .WithSummary("Leases up to 'limit' pending jobs of the given operations to the bot. With wait_ms (0..30000) a claim that finds none waits up to that long for one (long poll), then answers; an empty list on timeout.")
            .TakesJsonBody<ClaimRequest, ParsedClaim>((root, errors, options) => ClaimRequestParser.Parse(root, errors, options.ClaimBatchSize))
            .Produces<ClaimResponse<ClaimedJob>>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{job_id}/complete", CompleteAsync)
            .RequireBotToken()
            .WithName("JobApi.CompleteJob")
            .WithSummary("Reports a job done. A repeat is harmless; 409 when another bot, another instance or a later attempt holds the job.")
            .TakesJsonBody<CompleteRequest, ParsedComplete>((root, errors, options) => ReportRequestParser.ParseComplete(root, errors, options.MaxPayloadBytes))
            .Produces<ReportResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPost("/{job_id}/fail", FailAsync)
            .RequireBotToken()
            .WithName("JobApi.FailJob")
            .WithSummary("Reports a job failed: pending again with backoff while attempts remain, else dead. 409 as for complete.")
            .TakesJsonBody<FailRequest, ParsedFail>((root, errors, _) => ReportRequestParser.ParseFail(root, errors))
            .Produces<ReportResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/reports", ReportBatchAsync)
            .RequireBotToken()
            .WithName("JobApi.ReportJobs")
            .WithSummary("Many complete/fail reports in one call (up to 1,000), taken in one transaction: a status per item, in input order (accepted, conflict, not_found, invalid).")
            .TakesJsonBody<ReportBatchRequest, List<ParsedBatchItem>>((root, errors, options) => ReportBatchRequestParser.Parse(root, errors, options.MaxPayloadBytes))
            .Produces<ReportBatchResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPost(string.Empty, SubmitAsync)
            .RequireProducerAccess()
            .WithName("JobApi.SubmitJobs")
            .WithSummary("Adds one job, or a batch {\"jobs\": [...]} of up to 1,000. A known idempotency_key returns the existing id.")
            .TakesJsonBody<SubmitJobRequest, List<NewJob>>((root, errors, options) => SubmitJobsRequestParser.Parse(root, errors, options, JobTraceContext.OfCurrentSpan()))
            .Produces<SubmitJobsResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapGet("/{job_id}", GetJobAsync)
            .RequireProducerAccess()
            .WithName("JobApi.GetJob")
            .WithSummary("One job with its attempts.")
            .Produces<JobView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet(string.Empty, ListJobsAsync)
            .RequireProducerAccess()
            .WithName("JobApi.ListJobs")
            .WithSummary("A page of jobs, oldest first, filtered by status and op; follow 'cursor' for the next page.")
            .Produces<JobListAnswer>(StatusCodes.Status200OK)
            .ProducesValidationProblem();

        return group;
    }

    private static async Task<Results<JsonHttpResult<ClaimResponse<ClaimedJob>>, ProblemHttpResult>> ClaimAsync(
        ValidBody<ParsedClaim> body,
        HttpContext context,
        IJobQueue store,
        IJobArrivalSignal arrivals,
        ClaimWaiters waiters,
        IHostApplicationLifetime lifetime,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        var request = body.Value;
        if (!AuthenticatedBot.Of(context).Owns(request.BotId))
        {
            LogRejected(logger, "claim", StatusCodes.Status403Forbidden);
            return Problems.Forbidden(BotRefusals.NotTheTokensBot(request.BotId));
        }

        // A long poll takes its place among the waiters first; beyond the bound it answers at once, as without wait_ms.
        var waiting = request.WaitMs > 0 && waiters.TryEnter();
        IReadOnlyList<ClaimedJobRecord>? jobs;
        try
        {
            jobs = waiting
                ? await ClaimWaitingAsync(store, arrivals, waiters, timeProvider, request, lifetime.ApplicationStopping, cancellationToken)
                : await store.ClaimAsync(request.BotId, request.Operations, request.Limit, request.ClaimId, cancellationToken);
        }
        finally
        {
            if (waiting)
            {
                waiters.Leave();
            }
        }

        if (jobs is null)
        {
            return Problems.NotFound(BotRefusals.NotRegistered(request.BotId));
        }

        LogClaimed(logger, request.BotId, jobs.Count, request.Limit);
        return JobApiResults.Json(new ClaimResponse<ClaimedJob>(jobs.Select(j => j.ToWire()).ToList()));
    }

    /// <summary>
    /// Claims; while that finds nothing, waits for a job arrival (or the end of wait_ms, or server shutdown) and claims
    /// again. The arrival task is taken before each claim, so a job submitted between the claim and the wait still
    /// wakes it. No database connection is held while waiting; the caller going away cancels the wait.
    /// </summary>
    private static async Task<IReadOnlyList<ClaimedJobRecord>?> ClaimWaitingAsync(
        IJobQueue store,
        IJobArrivalSignal arrivals,
        ClaimWaiters waiters,
        TimeProvider timeProvider,
        ParsedClaim request,
        CancellationToken stopping,
        CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var wait = TimeSpan.FromMilliseconds(request.WaitMs);
        using var waitEnds = CancellationTokenSource.CreateLinkedTokenSource(stopping, cancellationToken);
        while (true)
        {
            var arrival = arrivals.Next(request.Operations);
            var jobs = await store.ClaimAsync(request.BotId, request.Operations, request.Limit, request.ClaimId, cancellationToken);
            var remaining = wait - timeProvider.GetElapsedTime(started);
            if (jobs is not { Count: 0 } || remaining <= TimeSpan.Zero || stopping.IsCancellationRequested)
            {
                return jobs;
            }

            try
            {
                // The wait's timer is set when WaitAsync is called, before the claim counts as parked.
                await waiters.ParkAsync(arrival.WaitAsync(remaining, timeProvider, waitEnds.Token));
            }
            catch (TimeoutException)
            {
                return jobs;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The server is stopping: answer what we have (nothing) so the bot claims elsewhere.
                return jobs;
            }
        }
    }

    private static async Task<Results<JsonHttpResult<ReportResponse>, ProblemHttpResult>> CompleteAsync(
        [FromRoute(Name = "job_id")] string jobId,
        ValidBody<ParsedComplete> body,
        HttpContext context,
        IJobQueue store,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        var report = JobReportCommand.Complete(jobId, body.Value.InstanceId, body.Value.ResultJson);
        return await ReportOneAsync(store, logger, AuthenticatedBot.Of(context), report, cancellationToken);
    }

    private static async Task<Results<JsonHttpResult<ReportResponse>, ProblemHttpResult>> FailAsync(
        [FromRoute(Name = "job_id")] string jobId,
        ValidBody<ParsedFail> body,
        HttpContext context,
        IJobQueue store,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        var report = JobReportCommand.Fail(jobId, body.Value.InstanceId, body.Value.Error, body.Value.RetryAfter);
        return await ReportOneAsync(store, logger, AuthenticatedBot.Of(context), report, cancellationToken);
    }

    private static async Task<Results<JsonHttpResult<ReportBatchResponse>, ProblemHttpResult>> ReportBatchAsync(
        ValidBody<List<ParsedBatchItem>> body,
        HttpContext context,
        IJobQueue store,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        // Valid items go to the store in one call (one transaction); invalid ones keep their place in the answer.
        var caller = AuthenticatedBot.Of(context);
        var items = body.Value;
        var reports = new List<JobReportCommand>(items.Count);
        foreach (var item in items)
        {
            if (item.Invalid is null && item.JobId is not null)
            {
                reports.Add(item.Complete is { } complete
                    ? JobReportCommand.Complete(item.JobId, complete.InstanceId, complete.ResultJson)
                    : JobReportCommand.Fail(item.JobId, item.Fail!.InstanceId, item.Fail.Error, item.Fail.RetryAfter));
            }
        }

        var answers = reports.Count == 0 ? [] : await store.ReportAsync(reports, caller.BotId, cancellationToken);
        var results = new List<ReportBatchItemResult>(items.Count);
        var next = 0;
        var accepted = 0;
        foreach (var item in items)
        {
            if (item.Invalid is not null || item.JobId is null)
            {
                results.Add(new(item.JobId, ReportItemStatuses.Invalid, item.Invalid));
                continue;
            }

            var report = reports[next];
            var answer = answers[next++];
            LogAnswer(logger, report, answer);
            switch (answer)
            {
                case ReportResult.Accepted or ReportResult.Repeated:
                    accepted++;
                    results.Add(new(item.JobId, ReportItemStatuses.Accepted));
                    break;
                case ReportResult.NotFound:
                    results.Add(new(item.JobId, ReportItemStatuses.NotFound));
                    break;
                default:
                    results.Add(new(item.JobId, ReportItemStatuses.Conflict));
                    break;
            }
        }

        LogBatchReported(logger, caller.BotId, results.Count, accepted);
        return JobApiResults.Json(new ReportBatchResponse(results));
    }

    /// <summary>A single complete/fail: the batch path with one item; 404 for an unknown job, 409 for a job the caller does not hold.</summary>
    private static async Task<Results<JsonHttpResult<ReportResponse>, ProblemHttpResult>> ReportOneAsync(
        IJobQueue store, ILogger logger, AuthenticatedBot caller, JobReportCommand report, CancellationToken cancellationToken)
    {
        var answer = (await store.ReportAsync([report], caller.BotId, cancellationToken))[0];
        LogAnswer(logger, report, answer);
        return answer switch
        {
            ReportResult.Accepted or ReportResult.Repeated => JobApiResults.Json(new ReportResponse(ReportItemStatuses.Accepted)),
            ReportResult.NotFound => Problems.NotFound($"Job '{report.JobId}' is unknown."),
            _ => Problems.Conflict($"Job '{report.JobId}' is held by another bot, another instance or a later attempt, or has already ended; drop this report."),
        };
    }

    private static void LogAnswer(ILogger logger, JobReportCommand report, ReportResult answer)
    {
        var action = report.Failed ? ReportActions.Fail : ReportActions.Complete;
        switch (answer)
        {
            case ReportResult.Accepted:
            case ReportResult.Repeated:
                LogReported(logger, action, report.JobId, report.InstanceId, answer == ReportResult.Repeated);
                break;
            case ReportResult.Conflict:
                LogReportConflict(logger, action, report.JobId, report.InstanceId);
                break;
        }
    }

    private static async Task<Results<JsonHttpResult<SubmitJobsResponse>, ProblemHttpResult>> SubmitAsync(
        ValidBody<List<NewJob>> body,
        IJobQueue store,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        var ids = await store.SubmitAsync(body.Value, cancellationToken);
        LogSubmitted(logger, ids.Count);
        return JobApiResults.Json(new SubmitJobsResponse(ids), StatusCodes.Status201Created);
    }

    private static async Task<Results<JsonHttpResult<JobView>, ProblemHttpResult>> GetJobAsync(
        [FromRoute(Name = "job_id")] string jobId,
        IJobCatalog store,
        CancellationToken cancellationToken)
    {
        var job = await store.GetJobAsync(jobId, cancellationToken);
        return job is null ? Problems.NotFound($"Job '{jobId}' is unknown.") : JobApiResults.Json(job.ToWire());
    }

    private static async Task<Results<JsonHttpResult<JobListAnswer>, ProblemHttpResult>> ListJobsAsync(
        HttpContext context,
        IJobCatalog store,
        CancellationToken cancellationToken)
    {
        // Query values are read by hand so that a bad one is a 400 naming it, like body fields.
        var query = context.Request.Query;
        var errors = new RequestErrors();
        string? status = query["status"];
        if (status is not null && !JobStatuses.All.Contains(status))
        {
            errors.Add("status", $"Must be one of {string.Join(", ", JobStatuses.All)}.");
        }

        string? op = query["op"];
        var limit = RequestLimits.DefaultListLimit;
        if (query["limit"].Count > 0
            && (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > RequestLimits.ListLimit))
        {
            errors.Add("limit", $"Must be an integer from 1 to {RequestLimits.ListLimit}.");
        }

        long? after = null;
        if (query["cursor"].Count > 0)
        {
            if (long.TryParse(query["cursor"], NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                after = position;
            }
            else
            {
                errors.Add("cursor", "Must be a cursor returned by an earlier page.");
            }
        }

        if (errors.HasErrors)
        {
            return Problems.Invalid(errors);
        }

        var page = await store.ListJobsAsync(new JobQuery(status, string.IsNullOrEmpty(op) ? null : op, limit, after), cancellationToken);
        return JobApiResults.Json(new JobListAnswer(
            page.Jobs.Select(j => j.ToWire()).ToList(),
            page.Next?.ToString(CultureInfo.InvariantCulture)));
    }
}

using System.Globalization;
using BotFleet.JobApi.Wire;
using BotFleet.JobServer.Requests;
using BotFleet.JobServer.Responses;
using BotFleet.JobServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
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
            .WithName("JobApi.ClaimJobs")
            .WithSummary("Leases up to 'limit' pending jobs of the given operations to the bot.")
            .DocumentsJsonBody<ClaimRequest>()
            .Produces<ClaimAnswer>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{job_id}/complete", CompleteAsync)
            .WithName("JobApi.CompleteJob")
            .WithSummary("Reports a job done. A repeat is harmless; 409 when another instance or a later attempt holds the job.")
            .DocumentsJsonBody<CompleteRequest>()
            .Produces<ReportResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPost("/{job_id}/fail", FailAsync)
            .WithName("JobApi.FailJob")
            .WithSummary("Reports a job failed: pending again with backoff while attempts remain, else dead.")
            .DocumentsJsonBody<FailRequest>()
            .Produces<ReportResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost(string.Empty, SubmitAsync)
            .WithName("JobApi.SubmitJobs")
            .WithSummary("Adds one job, or a batch {\"jobs\": [...]} of up to 1,000. A known idempotency_key returns the existing id.")
            .DocumentsJsonBody<SubmitJobRequest>()
            .Produces<SubmitJobsResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapGet("/{job_id}", GetJobAsync)
            .WithName("JobApi.GetJob")
            .WithSummary("One job with its attempts.")
            .Produces<JobView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet(string.Empty, ListJobsAsync)
            .WithName("JobApi.ListJobs")
            .WithSummary("A page of jobs, oldest first, filtered by status and op; follow 'cursor' for the next page.")
            .Produces<JobListAnswer>(StatusCodes.Status200OK)
            .ProducesValidationProblem();

        return group;
    }

    private static async Task<Results<JsonHttpResult<ClaimAnswer>, ProblemHttpResult>> ClaimAsync(
        HttpContext context,
        IJobStore store,
        IOptions<JobServerOptions> options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        var (document, problem) = await JsonBody.ReadObjectAsync(context, options.Value.MaxRequestBytes, cancellationToken);
        if (problem is not null)
        {
            LogRejected(logger, "claim", problem.StatusCode);
            return problem;
        }

        using (document)
        {
            var errors = new RequestErrors();
            var request = ClaimRequestParser.Parse(document!.RootElement, errors, options.Value.ClaimBatchSize);
            if (request is null)
            {
                LogRejected(logger, "claim", StatusCodes.Status400BadRequest);
                return Problems.Invalid(errors);
            }

            var jobs = await store.ClaimAsync(request.BotId, request.Operations, request.Limit, cancellationToken);
            if (jobs is null)
            {
                return Problems.NotFound($"Bot '{request.BotId}' is not registered.");
            }

            LogClaimed(logger, request.BotId, jobs.Count, request.Limit);
            return JobApiResults.Json(new ClaimAnswer(jobs.Select(j => j.ToWire()).ToList()));
        }
    }

    private static async Task<Results<JsonHttpResult<ReportResponse>, ProblemHttpResult>> CompleteAsync(
        [FromRoute(Name = "job_id")] string jobId,
        HttpContext context,
        IJobStore store,
        IOptions<JobServerOptions> options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        var (document, problem) = await JsonBody.ReadObjectAsync(context, options.Value.MaxRequestBytes, cancellationToken);
        if (problem is not null)
        {
            LogRejected(logger, "complete", problem.StatusCode);
            return problem;
        }

        using (document)
        {
            var errors = new RequestErrors();
            var request = ReportRequestParser.ParseComplete(document!.RootElement, errors, options.Value.MaxPayloadBytes);
            if (request is null)
            {
                LogRejected(logger, "complete", errors.TooLarge is null ? StatusCodes.Status400BadRequest : StatusCodes.Status413PayloadTooLarge);
                return Problems.Invalid(errors);
            }

            var result = await store.CompleteAsync(new CompleteReport(jobId, request.InstanceId, request.ResultJson), cancellationToken);
            return ReportAnswer(logger, "complete", jobId, request.InstanceId, result);
        }
    }

    private static async Task<Results<JsonHttpResult<ReportResponse>, ProblemHttpResult>> FailAsync(
        [FromRoute(Name = "job_id")] string jobId,
        HttpContext context,
        IJobStore store,
        IOptions<JobServerOptions> options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        var (document, problem) = await JsonBody.ReadObjectAsync(context, options.Value.MaxRequestBytes, cancellationToken);
        if (problem is not null)
        {
            LogRejected(logger, "fail", problem.StatusCode);
            return problem;
        }

        using (document)
        {
            var errors = new RequestErrors();
            var request = ReportRequestParser.ParseFail(document!.RootElement, errors);
            if (request is null)
            {
                LogRejected(logger, "fail", StatusCodes.Status400BadRequest);
                return Problems.Invalid(errors);
            }

            var result = await store.FailAsync(new FailReport(jobId, request.InstanceId, request.Error, request.RetryAfter), cancellationToken);
            return ReportAnswer(logger, "fail", jobId, request.InstanceId, result);
        }
    }

    private static Results<JsonHttpResult<ReportResponse>, ProblemHttpResult> ReportAnswer(ILogger logger, string action, string jobId, string instanceId, ReportResult result)
    {
        switch (result)
        {
            case ReportResult.Accepted:
            case ReportResult.Repeated:
                LogReported(logger, action, jobId, instanceId, result == ReportResult.Repeated);
                return JobApiResults.Json(new ReportResponse("accepted"));
            case ReportResult.NotFound:
                return Problems.NotFound($"Job '{jobId}' is unknown.");
            default:
                LogReportConflict(logger, action, jobId, instanceId);
                return Problems.Conflict($"Job '{jobId}' is held by another instance or a later attempt, or has already ended; drop this report.");
        }
    }

    private static async Task<Results<JsonHttpResult<SubmitJobsResponse>, ProblemHttpResult>> SubmitAsync(
        HttpContext context,
        IJobStore store,
        IOptions<JobServerOptions> options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        var (document, problem) = await JsonBody.ReadObjectAsync(context, options.Value.MaxRequestBytes, cancellationToken);
        if (problem is not null)
        {
            LogRejected(logger, "submit", problem.StatusCode);
            return problem;
        }

        using (document)
        {
            var errors = new RequestErrors();
            var jobs = SubmitJobsRequestParser.Parse(document!.RootElement, errors, options.Value);
            if (jobs is null)
            {
                LogRejected(logger, "submit", errors.TooLarge is null ? StatusCodes.Status400BadRequest : StatusCodes.Status413PayloadTooLarge);
                return Problems.Invalid(errors);
            }

            var ids = await store.SubmitAsync(jobs, cancellationToken);
            LogSubmitted(logger, ids.Count);
            return JobApiResults.Json(new SubmitJobsResponse(ids), StatusCodes.Status201Created);
        }
    }

    private static async Task<Results<JsonHttpResult<JobView>, ProblemHttpResult>> GetJobAsync(
        [FromRoute(Name = "job_id")] string jobId,
        IJobStore store,
        CancellationToken cancellationToken)
    {
        var job = await store.GetJobAsync(jobId, cancellationToken);
        return job is null ? Problems.NotFound($"Job '{jobId}' is unknown.") : JobApiResults.Json(job.ToWire());
    }

    private static async Task<Results<JsonHttpResult<JobListAnswer>, ProblemHttpResult>> ListJobsAsync(
        HttpContext context,
        IJobStore store,
        CancellationToken cancellationToken)
    {
        // Query values are read by hand so that a bad one is a 400 naming it, like body fields.
        var query = context.Request.Query;
        var errors = new RequestErrors();
        string? status = query["status"];
        if (status is not null && status is not (JobStatuses.Pending or JobStatuses.Leased or JobStatuses.Completed or JobStatuses.Dead))
        {
            errors.Add("status", "Must be one of pending, leased, completed, dead.");
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

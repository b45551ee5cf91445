using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Auth;
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

/// <summary>
/// An operator's actions on jobs (job API v1): cancel one, a list, or every pending and leased job (of one operation);
/// for dead jobs requeue one, discard one, and the same for a list of ids or for every dead job (of one operation).
/// Same access as the other operator endpoints.
/// </summary>
public static class JobControlApi
{
    /// <summary>How many dead jobs one transaction of an "all" action changes, so it never holds the store for long.</summary>
    internal const int Chunk = 1_000;

    private const string NotDeadTitle = "The job is not dead.";
    private const string NotCancellableTitle = "The job has finished.";
    private const string DeadJob = "dead job";

    public static RouteGroupBuilder MapJobControlApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/jobs").WithTags("Job control").WithGroupName(JobServerOpenApi.DocumentName);

        group.MapPost("/{job_id}/cancel", CancelOneAsync)
            .RequireProducerAccess()
            .WithName("JobApi.CancelJob")
            .WithSummary("Cancels a job. A pending job ends 'cancelled' at once; for a leased job 'cancel_requested_at' is set, its bot hears it with its next heartbeat and stops the handler, and the attempt ends the job 'cancelled', never retried (a completion that beat the cancel still completes it). Answers the job as it is now; cancelling a cancelled job changes nothing. 409 when the job is completed or dead.")
            .Produces<JobView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/cancel", CancelManyAsync)
            .RequireProducerAccess()
            .WithName("JobApi.CancelJobs")
            .WithSummary("Cancels jobs as one cancel does: {\"job_ids\": [...]} (up to 1,000, one transaction; a result per id: cancelled, cancel_requested, not_found or conflict) or {\"all\": true, \"op\"?: ...} (every pending job there was when the call began, oldest first, then every leased one, 1,000 per transaction). 'count' is how many jobs were cancelled or had their bot asked.")
            .TakesJsonBody<JobSelectionRequest, ParsedJobSelection>((root, errors, _) => JobControlRequestParser.ParseSelection(root, errors, null, "pending or leased job"))
            .Produces<JobControlResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem();

        group.MapPost("/{job_id}/requeue", RequeueOneAsync)
            .RequireProducerAccess()
            .WithName("JobApi.RequeueJob")
            .WithSummary("Puts a dead job back in the queue, claimable at once, with 'attempts' more attempts (default JobServer:DefaultMaxAttempts); its history is kept. The body is optional. 409 when the job is not dead.")
            .TakesJsonBody<RequeueJobRequest, ParsedJobSelection>((root, errors, options) => JobControlRequestParser.ParseRequeueOne(root, errors, options.DefaultMaxAttempts), optional: true)
            .Produces<JobView>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{job_id}/discard", DiscardOneAsync)
            .RequireProducerAccess()
            .WithName("JobApi.DiscardJob")
            .WithSummary("Deletes a dead job and its attempts. 409 when the job is not dead.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/requeue", RequeueManyAsync)
            .RequireProducerAccess()
            .WithName("JobApi.RequeueJobs")
            .WithSummary("Requeues dead jobs: {\"job_ids\": [...]} (up to 1,000; a result per id) or {\"all\": true, \"op\"?: ...} (every dead job, oldest first, 1,000 per transaction); 'attempts' as for one job.")
            .TakesJsonBody<JobSelectionRequest, ParsedJobSelection>((root, errors, options) => JobControlRequestParser.ParseSelection(root, errors, options.DefaultMaxAttempts, DeadJob))
            .Produces<JobControlResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem();

        group.MapPost("/discard", DiscardManyAsync)
            .RequireProducerAccess()
            .WithName("JobApi.DiscardJobs")
            .WithSummary("Discards dead jobs: {\"job_ids\": [...]} (up to 1,000; a result per id) or {\"all\": true, \"op\"?: ...} (every dead job, 1,000 per transaction).")
            .TakesJsonBody<JobSelectionRequest, ParsedJobSelection>((root, errors, _) => JobControlRequestParser.ParseSelection(root, errors, null, DeadJob))
            .Produces<JobControlResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem();

        return group;
    }

    private static async Task<Results<JsonHttpResult<JobView>, ProblemHttpResult>> RequeueOneAsync(
        [FromRoute(Name = "job_id")] string jobId,
        ValidBody<ParsedJobSelection> body,
        IJobControl store,
        IJobCatalog catalog,
        CancellationToken cancellationToken)
    {
        var attempts = body.Value.Attempts;
        var result = (await store.RequeueAsync([jobId], attempts, cancellationToken))[0];
        return Refusal(result) is { } refusal ? refusal : await CurrentViewAsync(catalog, jobId, cancellationToken);
    }

    private static async Task<Results<JsonHttpResult<JobView>, ProblemHttpResult>> CancelOneAsync(
        [FromRoute(Name = "job_id")] string jobId,
        IJobControl store,
        IJobCatalog catalog,
        CancellationToken cancellationToken)
    {
        var result = (await store.CancelAsync([jobId], cancellationToken))[0];
        return Refusal(result, "only pending and leased jobs can be cancelled", NotCancellableTitle) is { } refusal
            ? refusal
            : await CurrentViewAsync(catalog, jobId, cancellationToken);
    }

    /// <summary>The job as it is after the action committed: a bot may already have claimed or reported it, and the view says so.</summary>
    private static async Task<Results<JsonHttpResult<JobView>, ProblemHttpResult>> CurrentViewAsync(IJobCatalog catalog, string jobId, CancellationToken cancellationToken)
    {
        var job = await catalog.GetJobAsync(jobId, cancellationToken);
        return job is null ? UnknownJob(jobId) : JobApiResults.Json(job.ToWire());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DiscardOneAsync(
        [FromRoute(Name = "job_id")] string jobId,
        IJobControl store,
        CancellationToken cancellationToken)
    {
        var result = (await store.DiscardAsync([jobId], cancellationToken))[0];
        return Refusal(result) is { } refusal ? refusal : TypedResults.NoContent();
    }

    private static Task<Results<JsonHttpResult<JobControlResponse>, ProblemHttpResult>> RequeueManyAsync(
        ValidBody<ParsedJobSelection> body,
        IJobControl store,
        IJobCatalog catalog,
        CancellationToken cancellationToken) =>
        ManyAsync(
            body.Value,
            (selection, ct) => store.RequeueAsync(selection.JobIds!, selection.Attempts, ct),
            (selection, ct) => AllDeadAsync(catalog, selection.Op, (op, c) => store.RequeueDeadAsync(op, Chunk, selection.Attempts, c), ct),
            JobControlStatuses.Requeued,
            cancellationToken);

    private static Task<Results<JsonHttpResult<JobControlResponse>, ProblemHttpResult>> DiscardManyAsync(
        ValidBody<ParsedJobSelection> body,
        IJobControl store,
        IJobCatalog catalog,
        CancellationToken cancellationToken) =>
        ManyAsync(
            body.Value,
            (selection, ct) => store.DiscardAsync(selection.JobIds!, ct),
            (selection, ct) => AllDeadAsync(catalog, selection.Op, (op, c) => store.DiscardDeadAsync(op, Chunk, c), ct),
            JobControlStatuses.Discarded,
            cancellationToken);

    private static Task<Results<JsonHttpResult<JobControlResponse>, ProblemHttpResult>> CancelManyAsync(
        ValidBody<ParsedJobSelection> body,
        IJobControl store,
        IJobCatalog catalog,
        CancellationToken cancellationToken) =>
        ManyAsync(
            body.Value,
            (selection, ct) => store.CancelAsync(selection.JobIds!, ct),
            (selection, ct) => CancelAllAsync(store, catalog, selection.Op, ct),
            JobControlStatuses.Cancelled,
            cancellationToken);

    /// <summary>
    /// The shared shape of the bulk actions: named ids in one transaction with a result each, or
    /// <paramref name="all"/> (in transactions of <see cref="Chunk"/> jobs), which answers how many jobs it changed.
    /// </summary>
    private static async Task<Results<JsonHttpResult<JobControlResponse>, ProblemHttpResult>> ManyAsync(
        ParsedJobSelection selection,
        Func<ParsedJobSelection, CancellationToken, Task<IReadOnlyList<JobControlResult>>> byIds,
        Func<ParsedJobSelection, CancellationToken, Task<long>> all,
        string doneStatus,
        CancellationToken cancellationToken)
    {
        if (selection.JobIds is null)
        {
            return JobApiResults.Json(new JobControlResponse(await all(selection, cancellationToken)));
        }

        var results = await byIds(selection, cancellationToken);
        return JobApiResults.Json(new JobControlResponse(Applied(results), results.Select(r => ToWire(r, doneStatus)).ToList()));
    }

    /// <summary>How many of the results the action applied to (done now, or a leased job's cancel recorded).</summary>
    private static int Applied(IEnumerable<JobControlResult> results) =>
        results.Count(r => r.Outcome is JobControlOutcome.Done or JobControlOutcome.CancelRequested);

    /// <summary>How many jobs (of <paramref name="op"/>, or of all operations) the store counts in one status now.</summary>
    private static async Task<long> CountNowAsync(IJobCatalog catalog, string? op, Func<StatusCounts, long> status, CancellationToken cancellationToken)
    {
        var stats = await catalog.GetStatsAsync(cancellationToken);
        return op is null ? status(stats.Jobs) : stats.ByOp.TryGetValue(op, out var counts) ? status(counts) : 0;
    }

    /// <summary>
    /// Every dead job (of <paramref name="op"/>) there was when the call began, a chunk at a time: it stops after that
    /// many, so jobs that die again meanwhile (a requeued job failing at once) are not taken round and round.
    /// </summary>
    private static async Task<long> AllDeadAsync(IJobCatalog catalog, string? op, Func<string?, CancellationToken, Task<int>> chunk, CancellationToken cancellationToken)
    {
        var deadAtStart = await CountNowAsync(catalog, op, counts => counts.Dead, cancellationToken);
        long done = 0;
        while (done < deadAtStart)
        {
            var changed = await chunk(op, cancellationToken);
            done += changed;
            if (changed < Chunk)
            {
                break;
            }
        }

        return done;
    }

    /// <summary>
    /// Every job (of <paramref name="op"/>) that was pending when the call began, oldest first, then every leased one.
    /// Pending jobs leave the pending list as they are cancelled, so each chunk is the oldest page, and the count at the
    /// start bounds the loop (jobs submitted meanwhile are not chased); leased jobs stay leased until their bots stop
    /// them, so those are paged through.
    /// </summary>
    private static async Task<long> CancelAllAsync(IJobControl store, IJobCatalog catalog, string? op, CancellationToken cancellationToken)
    {
        var pendingAtStart = await CountNowAsync(catalog, op, counts => counts.Pending, cancellationToken);
        long done = 0;
        for (long seen = 0; seen < pendingAtStart;)
        {
            var page = await catalog.ListJobsAsync(new JobQuery(JobStatuses.Pending, op, Chunk, null), cancellationToken);
            var results = await store.CancelAsync([.. page.Jobs.Select(j => j.Id)], cancellationToken);
            done += results.Count(r => r.Outcome == JobControlOutcome.Done);
            seen += page.Jobs.Count;
            if (page.Jobs.Count < Chunk)
            {
                break;
            }
        }

        for (long? after = null; ;)
        {
            var page = await catalog.ListJobsAsync(new JobQuery(JobStatuses.Leased, op, Chunk, after), cancellationToken);
            if (page.Jobs.Count > 0)
            {
                done += Applied(await store.CancelAsync([.. page.Jobs.Select(j => j.Id)], cancellationToken));
            }

            if ((after = page.Next) is null)
            {
                return done;
            }
        }
    }

    /// <summary>The 404 or 409 for an action that did not apply, or null when it did; <paramref name="applies"/> says to which jobs.</summary>
    private static ProblemHttpResult? Refusal(JobControlResult result, string applies = "only dead jobs can be requeued or discarded", string title = NotDeadTitle) =>
        result.Outcome switch
        {
            JobControlOutcome.NotFound => UnknownJob(result.JobId),
            JobControlOutcome.WrongStatus => Problems.Conflict($"Job '{result.JobId}' is {result.Status}; {applies}.", title),
            _ => null,
        };

    private static ProblemHttpResult UnknownJob(string jobId) => Problems.NotFound($"Job '{jobId}' is unknown.");

    private static JobControlItemResult ToWire(JobControlResult result, string doneStatus) => result.Outcome switch
    {
        JobControlOutcome.Done => new(result.JobId, doneStatus),
        JobControlOutcome.CancelRequested => new(result.JobId, JobControlStatuses.CancelRequested),
        JobControlOutcome.NotFound => new(result.JobId, JobControlStatuses.NotFound),
        _ => new(result.JobId, JobControlStatuses.Conflict, result.Status),
    };
}

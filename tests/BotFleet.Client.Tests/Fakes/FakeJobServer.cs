using BotFleet.Cli.Connections;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Client.Tests.Fakes;

/// <summary>
/// Numbers submitted jobs job_1, job_2, …; serves stats from a queue (the last one repeats; a queued exception is
/// thrown as that poll's failure); records list queries and assignment changes.
/// </summary>
internal sealed class FakeJobServer : IJobServerClient
{
    private int _nextId;

    public List<IReadOnlyList<SubmitJobRequest>> Submissions { get; } = [];

    /// <summary>Each entry a <see cref="StatsResponse"/> or an <see cref="Exception"/> to throw.</summary>
    public Queue<object> Stats { get; } = new();

    public int StatsCalls { get; private set; }

    public Dictionary<string, JobView> Jobs { get; } = [];

    public List<JobListQuery> ListQueries { get; } = [];

    public JobListAnswer Page { get; set; } = new([], null);

    /// <summary>The requeue and discard requests, in order, with the action's name.</summary>
    public List<(string Action, JobSelectionRequest Request)> ControlRequests { get; } = [];

    /// <summary>The answer to the next requeue or discard.</summary>
    public JobControlResponse ControlAnswer { get; set; } = new(0);

    public List<(string BotId, UpdateAssignmentRequest Request)> AssignmentChanges { get; } = [];

    /// <summary>Bot ids the server knows; others answer 404 (null).</summary>
    public HashSet<string> KnownBotIds { get; } = [];

    /// <summary>Fails the batch with this index (0-based), as a server refusing mid-way would.</summary>
    public (int Batch, Exception Fault)? SubmitFault { get; set; }

    /// <summary>Runs on each submitted batch (a test advances its clock here, as a real call takes time).</summary>
    public Action? OnSubmit { get; set; }

    public Task<IReadOnlyList<string>> SubmitAsync(SubmitJobRequest job, CancellationToken cancellationToken) =>
        SubmitBatchAsync([job], cancellationToken);

    public Task<IReadOnlyList<string>> SubmitBatchAsync(IReadOnlyList<SubmitJobRequest> jobs, CancellationToken cancellationToken)
    {
        if (SubmitFault is { } fault && fault.Batch == Submissions.Count)
        {
            return Task.FromException<IReadOnlyList<string>>(fault.Fault);
        }

        Submissions.Add(jobs);
        OnSubmit?.Invoke();
        IReadOnlyList<string> ids = jobs.Select(_ => $"job_{++_nextId}").ToList();
        return Task.FromResult(ids);
    }

    public Task<JobView?> GetJobAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(Jobs.GetValueOrDefault(jobId));

    public Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken)
    {
        StatsCalls++;
        var next = Stats.Count > 1 ? Stats.Dequeue() : Stats.Peek();
        return next is Exception fault ? Task.FromException<StatsResponse>(fault) : Task.FromResult((StatsResponse)next);
    }

    public Task<JobListAnswer> ListJobsAsync(JobListQuery query, CancellationToken cancellationToken)
    {
        ListQueries.Add(query);
        return Task.FromResult(Page);
    }

    public Task<JobControlResponse> RequeueJobsAsync(JobSelectionRequest request, CancellationToken cancellationToken)
    {
        ControlRequests.Add(("requeue", request));
        return Task.FromResult(ControlAnswer);
    }

    public Task<JobControlResponse> DiscardJobsAsync(JobSelectionRequest request, CancellationToken cancellationToken)
    {
        ControlRequests.Add(("discard", request));
        return Task.FromResult(ControlAnswer);
    }

    /// <summary>Cancels a known job the way the server does a pending one.</summary>
    public Task<JobView?> CancelJobAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(Jobs.TryGetValue(jobId, out var job) ? Jobs[jobId] = job with { Status = "cancelled", Error = "cancelled by an operator" } : null);

    public Task<BotAssignment?> UpdateAssignmentAsync(string botId, UpdateAssignmentRequest request, CancellationToken cancellationToken)
    {
        AssignmentChanges.Add((botId, request));
        return Task.FromResult(KnownBotIds.Contains(botId) ? new BotAssignment(["sum"], 4, request.Paused ?? false) : null);
    }
}

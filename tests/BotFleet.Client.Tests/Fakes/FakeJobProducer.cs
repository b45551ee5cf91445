using BotFleet.JobApi.Client;
using BotFleet.JobApi.Wire;

namespace BotFleet.Client.Tests.Fakes;

/// <summary>Numbers submitted jobs job_1, job_2, …; serves stats from a queue (the last one repeats).</summary>
internal sealed class FakeJobProducer : IJobProducerClient
{
    private int _nextId;

    public List<IReadOnlyList<SubmitJobRequest>> Submissions { get; } = [];

    public Queue<StatsResponse> Stats { get; } = new();

    public int StatsCalls { get; private set; }

    public Dictionary<string, JobView> Jobs { get; } = [];

    public Task<IReadOnlyList<string>> SubmitAsync(SubmitJobRequest job, CancellationToken cancellationToken) =>
        SubmitBatchAsync([job], cancellationToken);

    public Task<IReadOnlyList<string>> SubmitBatchAsync(IReadOnlyList<SubmitJobRequest> jobs, CancellationToken cancellationToken)
    {
        Submissions.Add(jobs);
        IReadOnlyList<string> ids = jobs.Select(_ => $"job_{++_nextId}").ToList();
        return Task.FromResult(ids);
    }

    public Task<JobView?> GetJobAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(Jobs.GetValueOrDefault(jobId));

    public Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken)
    {
        StatsCalls++;
        return Task.FromResult(Stats.Count > 1 ? Stats.Dequeue() : Stats.Peek());
    }
}

using BotFleet.Contracts.Jobs;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Execution;
using BotFleet.Scheduling.Registry;
using BotFleet.Scheduling.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.Scheduling.Tests.Execution;

/// <summary>The silo's board of running handlers: what they report, and stopping one an operator cancelled.</summary>
public sealed class RunningJobBoardTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _services;
    private readonly JobExecutor _executor;
    private readonly RunningJobBoard _board;

    public RunningJobBoardTests()
    {
        var services = HandlerServices.Create(_time);
        services.AddJobHandler<ReportingHandler>("progress");
        _services = services.BuildServiceProvider();
        _executor = _services.GetRequiredService<JobExecutor>();
        _board = _services.GetRequiredService<RunningJobBoard>();
    }

    [Fact]
    public async Task Cancel_StopsTheRunningHandler_AndTheOutcomeSaysAnOperatorCancelledIt()
    {
        var running = _executor.RunAsync(new JobWork("job_1", "sleep", """{"ms":60000}""", 1), TestContext.Current.CancellationToken);
        Assert.Equal(1, _board.Count);

        Assert.True(_board.Cancel("job_1"));

        Assert.Equal(JobOutcome.Failure("job_1", JobExecutor.CancelledError("sleep")), await running);
        Assert.Equal("cancelled: op=sleep was stopped because an operator cancelled the job", JobExecutor.CancelledError("sleep"));
        Assert.Equal(0, _board.Count);
        Assert.False(_board.Cancel("job_1"));
    }

    [Fact]
    public async Task Progress_ReportedByTheHandler_IsOnTheBoardWhileItRuns()
    {
        var handler = _services.GetRequiredService<ReportingHandler>();
        var running = _executor.RunAsync(new JobWork("job_2", "progress", "{}", 1), TestContext.Current.CancellationToken);
        await handler.Reported.Task.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new JobProgress(40, new string('x', JobContext.MaxProgressMessageLength)), _board.ProgressOf("job_2"));
        handler.Finish.SetResult();
        Assert.True((await running).Succeeded);
        Assert.Null(_board.ProgressOf("job_2"));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void ReportProgress_OutsideZeroToHundred_Throws(double percent)
    {
        var context = new JobContext("job_3", "op", default, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => context.ReportProgress(percent));
    }

    public void Dispose() => _services.Dispose();

    /// <summary>Reports 40 % with a message longer than the limit, then waits to be told to finish.</summary>
    private sealed class ReportingHandler : IJobHandler
    {
        public TaskCompletionSource Reported { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<object?> HandleAsync(JobContext context, CancellationToken cancellationToken)
        {
            context.ReportProgress(40, new string('x', JobContext.MaxProgressMessageLength + 50));
            Reported.SetResult();
            await Finish.Task.WaitAsync(cancellationToken);
            return new { done = true };
        }
    }
}

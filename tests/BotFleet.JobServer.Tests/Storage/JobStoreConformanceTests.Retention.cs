using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Storage;

namespace BotFleet.JobServer.Tests.Storage;

// The retention policy's deletes: finished jobs older than a cutoff, oldest first, a batch at a time.
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task Prune_FinishedJobsEndedBeforeTheCutoff_DeletesThemAndKeepsEverythingElse()
    {
        var bot = await RegisterAsync("sum");
        var oldCompleted = await CompletedJobAsync(bot, failFirst: true);
        var oldDead = await DeadJobAsync(bot, "sum");
        var pending = await SubmitAsync("sum", runAfter: Now.AddDays(1));
        var cutoff = Now.AddMinutes(30);
        Time.Advance(TimeSpan.FromHours(1));
        var newCompleted = await CompletedJobAsync(bot);
        var newDead = await DeadJobAsync(bot, "sum");

        var completed = await Store.PruneAsync(JobStatuses.Completed, cutoff, 10, Token);
        var dead = await Store.PruneAsync(JobStatuses.Dead, cutoff, 10, Token);
        var again = await Store.PruneAsync(JobStatuses.Completed, cutoff, 10, Token);

        Assert.Equal((1, 1, 0), (completed, dead, again));
        Assert.Null(await Store.GetJobAsync(oldCompleted, Token));
        Assert.Null(await Store.GetJobAsync(oldDead, Token));
        Assert.Equal(
            [JobStatuses.Pending, JobStatuses.Completed, JobStatuses.Dead],
            [(await Store.GetJobAsync(pending, Token))!.Status, (await Store.GetJobAsync(newCompleted, Token))!.Status, (await Store.GetJobAsync(newDead, Token))!.Status]);
        await FoldStatusCountsAsync();
        Assert.Equal(new StatusCounts(1, 0, 1, 1), (await Store.GetStatsAsync(Token)).Jobs);
    }

    [Fact]
    public async Task Prune_Limit_TakesTheOldestFirst()
    {
        var bot = await RegisterAsync("sum");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await CompletedJobAsync(bot));
            Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var first = await Store.PruneAsync(JobStatuses.Completed, Now, 2, Token);
        var left = await Store.GetJobAsync(ids[2], Token);
        var second = await Store.PruneAsync(JobStatuses.Completed, Now, 2, Token);

        Assert.Equal((2, JobStatuses.Completed, 1), (first, left?.Status, second));
        Assert.Equal(new StatusCounts(0, 0, 0, 0), (await Store.GetStatsAsync(Token)).Jobs);
    }

    [Theory]
    [InlineData(JobStatuses.Pending)]
    [InlineData(JobStatuses.Leased)]
    public async Task Prune_AnUnfinishedStatus_IsRefused(string status)
    {
        await SubmitAsync("sum");

        await Assert.ThrowsAsync<ArgumentException>(() => Store.PruneAsync(status, Now.AddDays(1), 10, Token));

        Assert.Equal(new StatusCounts(1, 0, 0, 0), (await Store.GetStatsAsync(Token)).Jobs);
    }

    /// <summary>A job of "sum" completed now (after a failed attempt when <paramref name="failFirst"/>, so it has history).</summary>
    private async Task<string> CompletedJobAsync(Bot bot, bool failFirst = false)
    {
        var id = await SubmitAsync("sum", maxAttempts: 2);
        if (failFirst)
        {
            Assert.Equal(id, Assert.Single(await ClaimAsync(bot, 1, "sum")).Id);
            await ReportOneAsync(bot.BotId, JobReportCommand.Fail(id, bot.InstanceId, "first try"));
            Time.Advance((await Store.GetJobAsync(id, Token))!.RunAfter - Now);
        }

        Assert.Equal(id, Assert.Single(await ClaimAsync(bot, 1, "sum")).Id);
        Assert.Equal(ReportResult.Accepted, await ReportOneAsync(bot.BotId, JobReportCommand.Complete(id, bot.InstanceId, "1")));
        return id;
    }
}

using BotFleet.JobServer.Storage;

namespace BotFleet.JobServer.Tests.Storage;

/// <summary>The order both stores lock reported jobs in, and read the changed ones back in.</summary>
public sealed class ReportLockOrderTests
{
    [Fact]
    public void LockOrder_RepeatsAndAnyInputOrder_EachIdOnceInOrdinalOrder()
    {
        JobReportCommand[] reports =
        [
            JobReportCommand.Complete("job-b", "i1", null),
            JobReportCommand.Fail("job-a", "i1", "boom"),
            JobReportCommand.Complete("job-B", "i1", null),
            JobReportCommand.Complete("job-b", "i2", null),
            JobReportCommand.Complete("job-a", "i1", null),
        ];

        // Ordinal: upper case before lower case, whatever the culture.
        Assert.Equal(["job-B", "job-a", "job-b"], ReportBatch.LockOrder(reports));
    }

    [Fact]
    public void LockOrder_NoReports_IsEmpty()
    {
        Assert.Empty(ReportBatch.LockOrder([]));
    }

    [Fact]
    public void Changed_OnlyTheChangedJobsThatExist_InLockOrder()
    {
        var jobs = new Dictionary<string, ReportedJob>(StringComparer.Ordinal)
        {
            ["job-c"] = new("job-c", "op", "leased", 1, 3, null) { Changed = true },
            ["job-a"] = new("job-a", "op", "leased", 1, 3, null) { Changed = true },
            ["job-b"] = new("job-b", "op", "leased", 1, 3, null),
        };

        var changed = ReportBatch.Changed(["job-a", "job-b", "job-c", "job-unknown"], jobs);

        Assert.Equal(["job-a", "job-c"], changed.Select(j => j.Id));
    }
}

using System.Net;

namespace BotFleet.Storage.Tests.Hosting;

/// <summary>Exercises the membership queries a short test run does not reach on its own (heartbeat, cleanup, stale versions).</summary>
internal static class MembershipTableContract
{
    public static async Task AssertAsync(IMembershipTable table, int activeSilos)
    {
        var all = await table.ReadAllAsync();
        Assert.Equal(activeSilos, all.Members.Count(member => member.Item1.Status == SiloStatus.Active));
        Assert.True(all.Version.Version > 0);

        // A made-up, already dead silo, so the live cluster is not disturbed.
        var ghost = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, 1, Random.Shared.Next(1, int.MaxValue)),
            SiloName = "ghost",
            HostName = "ghost-host",
            Status = SiloStatus.Dead,
            ProxyPort = 0,
            StartTime = DateTime.UtcNow.AddMinutes(-5),
            IAmAliveTime = DateTime.UtcNow.AddMinutes(-5),
        };
        Assert.True(await table.InsertRowAsync(ghost, all.Version.Next()));
        // The same version again is stale now.
        Assert.False(await table.InsertRowAsync(ghost, all.Version.Next()));

        var row = await table.ReadRowAsync(ghost.SiloAddress);
        var stored = Assert.Single(row.Members).Item1;
        Assert.Equal("ghost", stored.SiloName);
        Assert.Equal(all.Version.Version + 1, row.Version.Version);

        // Heartbeats change IAmAliveTime only and leave the table version alone.
        ghost.IAmAliveTime = DateTime.UtcNow.AddMinutes(-4);
        await table.UpdateIAmAliveAsync(ghost);
        row = await table.ReadRowAsync(ghost.SiloAddress);
        Assert.Equal(all.Version.Version + 1, row.Version.Version);
        Assert.InRange(row.Members[0].Item1.IAmAliveTime, ghost.IAmAliveTime.AddMilliseconds(-1), ghost.IAmAliveTime.AddMilliseconds(1));

        // A full update with an older heartbeat keeps the newer one.
        var heartbeat = ghost.IAmAliveTime;
        ghost.IAmAliveTime = heartbeat.AddMinutes(-1);
        ghost.SuspectTimes = [Tuple.Create(ghost.SiloAddress, DateTime.UtcNow.AddMinutes(-3)), Tuple.Create(ghost.SiloAddress, DateTime.UtcNow.AddMinutes(-2))];
        Assert.False(await table.UpdateRowAsync(ghost, row.Members[0].Item2, all.Version.Next()));
        Assert.True(await table.UpdateRowAsync(ghost, row.Members[0].Item2, row.Version.Next()));
        row = await table.ReadRowAsync(ghost.SiloAddress);
        Assert.Equal(2, row.Members[0].Item1.SuspectTimes!.Count);
        Assert.InRange(row.Members[0].Item1.IAmAliveTime, heartbeat.AddMilliseconds(-1), heartbeat.AddMilliseconds(1));

        // Cleanup removes dead silos with old heartbeats and never active ones.
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1));
        all = await table.ReadAllAsync();
        Assert.DoesNotContain(all.Members, member => member.Item1.SiloAddress.Equals(ghost.SiloAddress));
        Assert.Equal(activeSilos, all.Members.Count(member => member.Item1.Status == SiloStatus.Active));
    }
}

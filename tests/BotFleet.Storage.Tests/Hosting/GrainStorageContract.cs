using BotFleet.Storage.Tests.Grains;
using Orleans.Storage;

namespace BotFleet.Storage.Tests.Hosting;

/// <summary>ETag semantics every BotFleet grain store must show, checked straight against IGrainStorage.</summary>
internal static class GrainStorageContract
{
    private const string StateName = "contract";

    public static async Task AssertVersioningAsync(IGrainStorage storage, GrainId grainId)
    {
        var first = new GrainState<ProfileState>(new ProfileState());
        await storage.ReadStateAsync(StateName, grainId, first);
        Assert.False(first.RecordExists);
        Assert.Null(first.ETag);

        // Two activations that both saw "no record": the first insert wins, the second must conflict.
        var racer = new GrainState<ProfileState>(new ProfileState { Name = "racer" });
        first.State!.Name = "one";
        await storage.WriteStateAsync(StateName, grainId, first);
        Assert.Equal("1", first.ETag);
        Assert.True(first.RecordExists);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, racer));

        var second = new GrainState<ProfileState>(new ProfileState());
        await storage.ReadStateAsync(StateName, grainId, second);
        Assert.Equal("one", second.State!.Name);
        Assert.Equal("1", second.ETag);

        second.State!.Name = "two";
        await storage.WriteStateAsync(StateName, grainId, second);
        Assert.Equal("2", second.ETag);

        // "first" still holds ETag 1: both its write and its clear are stale.
        first.State!.Name = "stale";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, first));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grainId, first));

        await storage.ClearStateAsync(StateName, grainId, second);
        Assert.Equal("3", second.ETag);
        Assert.False(second.RecordExists);

        var third = new GrainState<ProfileState>(new ProfileState());
        await storage.ReadStateAsync(StateName, grainId, third);
        Assert.False(third.RecordExists);
        Assert.Equal("3", third.ETag);
        Assert.Null(third.State!.Name);

        third.State!.Name = "three";
        await storage.WriteStateAsync(StateName, grainId, third);
        Assert.Equal("4", third.ETag);
    }

    /// <summary>For a store with DeleteStateOnClear: clearing removes the row and a fresh insert starts over.</summary>
    public static async Task AssertDeleteOnClearAsync(IGrainStorage storage, GrainId grainId)
    {
        var state = new GrainState<ProfileState>(new ProfileState { Name = "doomed" });
        await storage.WriteStateAsync(StateName, grainId, state);
        Assert.Equal("1", state.ETag);

        var stale = new GrainState<ProfileState>(new ProfileState()) { ETag = "7", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grainId, stale));

        await storage.ClearStateAsync(StateName, grainId, state);
        Assert.Null(state.ETag);

        var reread = new GrainState<ProfileState>(new ProfileState());
        await storage.ReadStateAsync(StateName, grainId, reread);
        Assert.False(reread.RecordExists);
        Assert.Null(reread.ETag);

        reread.State!.Name = "reborn";
        await storage.WriteStateAsync(StateName, grainId, reread);
        Assert.Equal("1", reread.ETag);
    }

    /// <summary>Grain ids of each key shape the ADO.NET provider stores differently.</summary>
    public static IEnumerable<GrainId> KeyShapes()
    {
        var type = GrainType.Create("contract-grain");
        yield return GrainId.Create(type, $"string-{Guid.NewGuid():N}");
        yield return GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(Random.Shared.NextInt64(), "ext"));
        yield return GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(Random.Shared.NextInt64()));
        yield return GrainId.Create(type, GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid(), string.Empty));
    }
}

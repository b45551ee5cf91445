using BotFleet.JobServer.Auth;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.JobServer.Tests.Auth;

public sealed class BotTokenCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    private BotTokenCache NewCache(int ttlSeconds = 5) =>
        new(Options.Create(new JobServerOptions { BotTokenCacheTtl = TimeSpan.FromSeconds(ttlSeconds) }), _time);

    [Fact]
    public void Remember_VerifiesTheHashUntilTheTtlRunsOut_AndOnlyThatHash()
    {
        var cache = NewCache();
        cache.Remember("bot-1", "hash-a", Start.AddHours(1));

        Assert.True(cache.IsVerified("bot-1", "hash-a"));
        Assert.False(cache.IsVerified("bot-1", "hash-b"));
        Assert.False(cache.IsVerified("bot-2", "hash-a"));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(cache.IsVerified("bot-1", "hash-a"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Remember_NeverTrustsATokenPastItsOwnExpiry()
    {
        var cache = NewCache(ttlSeconds: 300);
        cache.Remember("bot-1", "hash-a", Start.AddSeconds(2));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(cache.IsVerified("bot-1", "hash-a"));
    }

    [Fact]
    public void Count_FollowsAddsReplacementsForgetsAndExpiries()
    {
        var cache = NewCache();
        cache.Remember("bot-1", "hash-a", Start.AddHours(1));
        cache.Remember("bot-2", "hash-a", Start.AddHours(1));
        cache.Remember("bot-1", "hash-b", Start.AddHours(1));
        Assert.Equal(2, cache.Count);
        Assert.True(cache.IsVerified("bot-1", "hash-b"));

        cache.Forget("bot-1");
        cache.Forget("bot-1");
        Assert.Equal(1, cache.Count);
        Assert.False(cache.IsVerified("bot-1", "hash-b"));

        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(cache.IsVerified("bot-2", "hash-a"));
        Assert.False(cache.IsVerified("bot-2", "hash-a"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Remember_WhenFull_StartsOver()
    {
        var cache = NewCache();
        for (var i = 0; i < BotTokenCache.Capacity; i++)
        {
            cache.Remember($"bot-{i}", "hash", Start.AddHours(1));
        }

        Assert.Equal(BotTokenCache.Capacity, cache.Count);

        cache.Remember("one-more", "hash", Start.AddHours(1));

        Assert.Equal(1, cache.Count);
        Assert.True(cache.IsVerified("one-more", "hash"));
        Assert.False(cache.IsVerified("bot-0", "hash"));
    }

    [Fact]
    public void Remember_WithNoTtl_KeepsNothing()
    {
        var cache = NewCache(ttlSeconds: 0);
        cache.Remember("bot-1", "hash-a", Start.AddHours(1));

        Assert.False(cache.IsVerified("bot-1", "hash-a"));
        Assert.Equal(0, cache.Count);
    }
}

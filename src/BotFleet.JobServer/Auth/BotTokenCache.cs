using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Auth;

/// <summary>
/// Tokens this process verified against the store recently, so a busy bot does not cost a database read per call.
/// An entry lives <see cref="JobServerOptions.BotTokenCacheTtl"/> at most and never past the token's own expiry.
/// Registration in this process drops the bot's entry at once; a registration through another server (sharing a
/// PostgreSQL store) is seen here when the entry runs out, so a replaced token works at most that long there.
/// Bounded: when full, it starts over (a cold cache costs one read per bot, nothing worse).
/// </summary>
internal sealed class BotTokenCache(IOptions<JobServerOptions> options, TimeProvider timeProvider)
{
    /// <summary>Bots remembered at most; far above any fleet, small in memory (an entry is ~200 bytes).</summary>
    internal const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    // ConcurrentDictionary.Count takes every lock of the table: an idle fleet's heartbeats (30 s apart, past the TTL,
    // so each one re-verifies) made it a tenth of the idle silo's CPU. An approximate count is enough for a bound.
    private int _count;
    private readonly TimeSpan _ttl = options.Value.BotTokenCacheTtl;

    /// <summary>True when <paramref name="tokenHash"/> was verified for the bot within the TTL and has not expired since.</summary>
    public bool IsVerified(string botId, string tokenHash)
    {
        if (!_entries.TryGetValue(botId, out var entry))
        {
            return false;
        }

        if (timeProvider.GetUtcNow() >= entry.ValidUntil)
        {
            if (_entries.TryRemove(new KeyValuePair<string, Entry>(botId, entry)))
            {
                Interlocked.Decrement(ref _count);
            }

            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(tokenHash), Encoding.UTF8.GetBytes(entry.TokenHash));
    }

    public void Remember(string botId, string tokenHash, DateTimeOffset tokenExpiresAt)
    {
        if (_ttl <= TimeSpan.Zero)
        {
            return;
        }

        if (Volatile.Read(ref _count) >= Capacity)
        {
            _entries.Clear();
            Volatile.Write(ref _count, 0);
        }

        var until = timeProvider.GetUtcNow() + _ttl;
        var entry = new Entry(tokenHash, until < tokenExpiresAt ? until : tokenExpiresAt);
        if (_entries.TryAdd(botId, entry))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _entries[botId] = entry;
        }
    }

    /// <summary>The bot got a new token: the old one must stop working now, not when its entry runs out.</summary>
    public void Forget(string botId)
    {
        if (_entries.TryRemove(botId, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Entries held (approximate while other threads add or remove), for tests.</summary>
    internal int Count => Volatile.Read(ref _count);

    private sealed record Entry(string TokenHash, DateTimeOffset ValidUntil);
}

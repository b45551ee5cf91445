using System.Security.Cryptography;

namespace BotFleet.JobServer.Storage;

/// <summary>Opaque identifiers: "job_" or "bot_" followed by 32 lowercase hex digits.</summary>
public static class Ids
{
    /// <summary>
    /// A UUIDv7 of <paramref name="nowUnixMs"/>: later jobs sort after earlier ones, so each insert into the unique
    /// index on the id (and into the attempts' key) lands on the index's last pages rather than on a random one.
    /// Random ids dirtied an index page per job in every submit, claim and report transaction (issue 7). The 74 random
    /// bits keep ids unguessable; an id grants nothing on its own.
    /// </summary>
    public static string NewJobId(long nowUnixMs) =>
        "job_" + Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(nowUnixMs)).ToString("N");

    public static string NewBotId() => "bot_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

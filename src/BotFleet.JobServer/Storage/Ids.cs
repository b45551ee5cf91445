using System.Security.Cryptography;

namespace BotFleet.JobServer.Storage;

/// <summary>Opaque random identifiers: "job_" or "bot_" followed by 32 lowercase hex digits.</summary>
public static class Ids
{
    public static string NewJobId() => "job_" + RandomHex();

    public static string NewBotId() => "bot_" + RandomHex();

    private static string RandomHex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

using System.Security.Cryptography;
using System.Text;

namespace BotFleet.JobServer.Auth;

/// <summary>Constant-time comparison of secrets.</summary>
internal static class Secrets
{
    /// <summary>
    /// True when both are set and equal. Both sides are hashed first, so the time taken says nothing about
    /// the expected value, not even its length.
    /// </summary>
    public static bool AreEqual(string? presented, string? expected)
    {
        if (presented is null || expected is null)
        {
            return false;
        }

        Span<byte> left = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> right = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), left);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), right);
        return CryptographicOperations.FixedTimeEquals(left, right);
    }
}

using System.Net;

namespace BotFleet.JobServer.Auth;

public enum ProducerAccessDecision
{
    Allowed,

    /// <summary>401: an API key is configured and the request lacks it or carries a wrong one.</summary>
    Unauthorized,

    /// <summary>403: no API key is configured and the caller is not on this machine.</summary>
    Forbidden,
}

/// <summary>Who may call the producer and operator endpoints (submit, inspect, list, stats, assignment).</summary>
public static class ProducerAccess
{
    /// <param name="configuredKey">JobServer:ApiKey; null or empty when none is configured.</param>
    /// <param name="presentedKey">The request's X-Api-Key header, if any.</param>
    /// <param name="remoteAddress">
    /// The caller's address. Null (a Unix socket, a named pipe, an in-process test server) counts as local.
    /// Behind a reverse proxy on the same host every caller looks local: configure an API key there.
    /// </param>
    public static ProducerAccessDecision Decide(string? configuredKey, string? presentedKey, IPAddress? remoteAddress)
    {
        if (!string.IsNullOrEmpty(configuredKey))
        {
            return Secrets.AreEqual(presentedKey, configuredKey) ? ProducerAccessDecision.Allowed : ProducerAccessDecision.Unauthorized;
        }

        return IsLocal(remoteAddress) ? ProducerAccessDecision.Allowed : ProducerAccessDecision.Forbidden;
    }

    public static bool IsLocal(IPAddress? address) =>
        address is null || IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}

using System.Net;
using System.Net.Sockets;
using BotFleet.JobServer;

namespace BotFleet.Silo.Hosting;

/// <summary>
/// Checks the silo's Orleans ports before Orleans binds them: Orleans reports a port in use as a socket error deep in
/// its start-up, without saying which port or which setting chose it.
/// </summary>
internal static class SiloPorts
{
    /// <summary>Every explicit port in the HTTP URLs ("urls"): Kestrel binds them only after Orleans has started.</summary>
    public static void EnsureUrlsFree(string? urls)
    {
        foreach (var url in (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "+" and "*" mean every address; a name (localhost) is left to Kestrel.
            var hostAndPort = url.Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal);
            if (Uri.TryCreate(hostAndPort, UriKind.Absolute, out var uri) && !uri.IsDefaultPort && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
            {
                Check(address, uri.Port, () => $"urls: port {uri.Port} ({url}) is already in use by another process; choose another address with --urls (or ASPNETCORE_URLS).");
            }
        }
    }

    public static void EnsureFree(IPAddress address, int port, string key) =>
        Check(address, port, () => $"{key} {port} is already in use on {address} (another silo on this machine?); choose a free port with --{key}=<port>.");

    private static void Check(IPAddress address, int port, Func<string> inUse)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new HostConfigurationException(inUse(), ex);
        }
        finally
        {
            listener.Stop();
        }
    }
}

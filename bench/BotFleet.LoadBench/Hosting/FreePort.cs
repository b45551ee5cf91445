using System.Net;
using System.Net.Sockets;

namespace BotFleet.LoadBench.Hosting;

/// <summary>A TCP port on loopback that is free right now (the OS picks it), for a process that cannot report its own.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

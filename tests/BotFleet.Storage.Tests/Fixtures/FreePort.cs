using System.Net;
using System.Net.Sockets;

namespace BotFleet.Storage.Tests.Fixtures;

/// <summary>Finds a TCP port on loopback that is free right now.</summary>
public static class FreePort
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

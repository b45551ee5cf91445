using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BotFleet.LoadBench.Proxy;

/// <summary>
/// A loopback TCP forwarder in front of the job API that counts the requests going through it by
/// <see cref="RequestKind"/>: the job server has no request counter, so the bots are pointed at this instead
/// (<c>BotFleet:Silo:JobServerUrl</c>). One upstream connection per client connection (HTTP/1.1 keep-alive works
/// as is), bytes forwarded unchanged both ways; only the client→server stream is scanned, for request lines.
/// </summary>
internal sealed class RequestCountingProxy : IAsyncDisposable
{
    private const int BufferBytes = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly long[] _counts = new long[Enum.GetValues<RequestKind>().Length];
    private readonly Task _accepting;
    private long _connections;
    private long _unparsed;

    private RequestCountingProxy(Uri upstream)
    {
        _upstream = new IPEndPoint(IPAddress.Loopback, upstream.Port);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 1024);
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)}");
        _accepting = AcceptAsync();
    }

    /// <summary>Where the bots should send their requests.</summary>
    public Uri Url { get; }

    /// <summary>Client connections accepted so far.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Connections whose stream stopped being parseable (their later requests are not counted).</summary>
    public long Unparsed => Interlocked.Read(ref _unparsed);

    public static RequestCountingProxy Start(Uri upstream) =>
        upstream.IsLoopback ? new RequestCountingProxy(upstream) : throw new BenchException($"The counting proxy forwards to loopback only, not {upstream}.");

    /// <summary>Requests seen so far, by kind.</summary>
    public IReadOnlyDictionary<RequestKind, long> Counts() =>
        Enum.GetValues<RequestKind>().ToDictionary(kind => kind, kind => Interlocked.Read(ref _counts[(int)kind]));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _sockets.Keys)
        {
            socket.Dispose();
        }

        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var _ = client;
        client.NoDelay = true;
        _sockets.TryAdd(client, 0);
        _sockets.TryAdd(upstream, 0);
        try
        {
            await upstream.ConnectAsync(_upstream, _stop.Token);
            var scanner = new HttpRequestScanner(line => Interlocked.Increment(ref _counts[(int)RequestLine.Classify(line)]));
            var up = PumpAsync(client, upstream, scanner);
            var down = PumpAsync(upstream, client, scanner: null);
            await Task.WhenAny(up, down);
            if (scanner.Lost)
            {
                Interlocked.Increment(ref _unparsed);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The upstream refused (e.g. the job server is down) or the proxy stops: the client sees the connection close.
        }
        finally
        {
            _sockets.TryRemove(client, out var _1);
            _sockets.TryRemove(upstream, out var _2);
        }
    }

    /// <summary>Copies until either side closes; closing the sockets (by the caller's using) ends the other pump.</summary>
    private async Task PumpAsync(Socket from, Socket to, HttpRequestScanner? scanner)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                scanner?.Feed(buffer.AsSpan(0, read));
                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, _stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side went away.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

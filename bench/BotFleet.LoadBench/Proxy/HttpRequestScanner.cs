using System.Globalization;
using System.Text;

namespace BotFleet.LoadBench.Proxy;

/// <summary>
/// Finds the request lines in one connection's client→server byte stream of HTTP/1.1, message by message: the
/// header block up to the empty line, then a body of <c>Content-Length</c> bytes or in chunks
/// (<c>Transfer-Encoding: chunked</c>, which .NET's <c>JsonContent</c> uses since it does not know its length).
/// Fed the bytes in whatever pieces the socket delivers; it only reads them, the proxy forwards them unchanged.
/// </summary>
internal sealed class HttpRequestScanner(Action<string> onRequestLine)
{
    /// <summary>A header or chunk-size line longer than this means the stream is not what we think; stop scanning.</summary>
    private const int MaxLineBytes = 64 * 1024;

    private readonly StringBuilder _line = new();
    private State _state = State.RequestLine;
    private long _remaining;
    private long _contentLength;
    private bool _chunked;

    private enum State
    {
        RequestLine,
        Header,
        Body,
        ChunkSize,
        ChunkData,
        Trailer,
        Lost,
    }

    /// <summary>True once the stream could not be parsed (the rest of the connection is forwarded uncounted).</summary>
    public bool Lost => _state == State.Lost;

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length && _state != State.Lost)
        {
            if (_state is State.Body or State.ChunkData)
            {
                var take = (int)Math.Min(_remaining, bytes.Length - i);
                i += take;
                _remaining -= take;
                if (_remaining == 0)
                {
                    _state = _state == State.Body ? State.RequestLine : State.ChunkSize;
                }

                continue;
            }

            var b = bytes[i++];
            if (b != (byte)'\n')
            {
                if (b != (byte)'\r')
                {
                    _line.Append((char)b);
                    if (_line.Length > MaxLineBytes)
                    {
                        _state = State.Lost;
                    }
                }

                continue;
            }

            var line = _line.ToString();
            _line.Clear();
            OnLine(line);
        }
    }

    private void OnLine(string line)
    {
        switch (_state)
        {
            case State.RequestLine:
                // Blank lines between messages are allowed (RFC 9112 §2.2).
                if (line.Length > 0)
                {
                    onRequestLine(line);
                    (_contentLength, _chunked, _state) = (0, false, State.Header);
                }

                break;
            case State.Header when line.Length == 0:
                if (_chunked)
                {
                    _state = State.ChunkSize;
                }
                else if (_contentLength > 0)
                {
                    (_remaining, _state) = (_contentLength, State.Body);
                }
                else
                {
                    _state = State.RequestLine;
                }

                break;
            case State.Header:
                ReadHeader(line);
                break;
            case State.ChunkSize:
                var size = line.Split(';', 2)[0].Trim();
                if (size.Length == 0)
                {
                    // The CRLF after the previous chunk's data when it arrived apart: nothing to do.
                    break;
                }

                if (!long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var chunk) || chunk < 0)
                {
                    _state = State.Lost;
                }
                else if (chunk == 0)
                {
                    _state = State.Trailer;
                }
                else
                {
                    // The chunk's data, then its CRLF, which the ChunkSize state reads as an empty line.
                    (_remaining, _state) = (chunk, State.ChunkData);
                }

                break;
            case State.Trailer when line.Length == 0:
                _state = State.RequestLine;
                break;
            case State.Trailer:
            case State.Body:
            case State.ChunkData:
            case State.Lost:
            default:
                break;
        }
    }

    private void ReadHeader(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return;
        }

        var name = line.AsSpan(0, colon).Trim();
        var value = line.AsSpan(colon + 1).Trim();
        if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
        {
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _contentLength))
            {
                _state = State.Lost;
            }
        }
        else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            _chunked = true;
        }
    }
}

using System.Buffers;

namespace BotFleet.JobServer.Requests;

/// <summary>A request body's bytes in an array rented from the shared pool, grown by doubling; returned on dispose.</summary>
internal sealed class PooledBody : IDisposable
{
    private byte[] _buffer = [];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Makes room for at least <paramref name="bytes"/> more bytes.</summary>
    public void Reserve(int bytes)
    {
        if (_buffer.Length - Length >= bytes)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Length + bytes, _buffer.Length * 2));
        _buffer.AsSpan(0, Length).CopyTo(larger);
        Return();
        _buffer = larger;
    }

    /// <summary>Where the next read goes: never empty, so a read of 0 bytes means the body ended.</summary>
    public Memory<byte> FreeSpace()
    {
        Reserve(1);
        return _buffer.AsMemory(Length);
    }

    public void Advance(int bytes) => Length += bytes;

    public void Dispose()
    {
        Return();
        _buffer = [];
        Length = 0;
    }

    private void Return()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}

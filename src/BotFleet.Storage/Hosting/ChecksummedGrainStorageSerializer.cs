using System.Buffers.Binary;
using System.IO.Hashing;
using Orleans.Storage;

namespace BotFleet.Storage.Hosting;

/// <summary>
/// Seals each stored grain state with a checksum, so damage is found rather than read as a different state. Orleans'
/// binary format is tolerant: a payload that lost its first byte was seen to load as a valid state with its outbox
/// gone. The envelope is a 4-byte marker, the payload's 64-bit XxHash3 and the payload itself; a payload without the
/// marker (written before the envelope existed) is read as it is and sealed on its next save.
/// </summary>
public sealed class ChecksummedGrainStorageSerializer(IGrainStorageSerializer inner) : IGrainStorageSerializer
{
    private const int HeaderLength = 12;

    // "BFS" and a format version: neither JSON ('{') nor Orleans' binary format starts with it.
    private static ReadOnlySpan<byte> Marker => "BFS\u0001"u8;

    public BinaryData Serialize<T>(T? input)
    {
        var payload = inner.Serialize(input).ToMemory().Span;
        var sealedPayload = new byte[HeaderLength + payload.Length];
        Marker.CopyTo(sealedPayload);
        BinaryPrimitives.WriteUInt64LittleEndian(sealedPayload.AsSpan(Marker.Length), XxHash3.HashToUInt64(payload));
        payload.CopyTo(sealedPayload.AsSpan(HeaderLength));
        return new BinaryData(sealedPayload);
    }

    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var stored = input.ToMemory();
        if (!stored.Span.StartsWith(Marker))
        {
            return inner.Deserialize<T>(input);
        }

        if (stored.Length < HeaderLength)
        {
            throw new InvalidDataException($"Stored grain state is {stored.Length} bytes, shorter than its {HeaderLength}-byte checksum header.");
        }

        var payload = stored[HeaderLength..];
        var expected = BinaryPrimitives.ReadUInt64LittleEndian(stored.Span[Marker.Length..]);
        var actual = XxHash3.HashToUInt64(payload.Span);
        if (actual != expected)
        {
            throw new InvalidDataException($"Stored grain state fails its checksum ({payload.Length} bytes, XxHash3 {actual:x16}, stored {expected:x16}).");
        }

        return inner.Deserialize<T>(new BinaryData(payload));
    }
}

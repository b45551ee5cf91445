using System.Text;
using BotFleet.Storage.Hosting;
using Orleans.Storage;

namespace BotFleet.Storage.Tests.Hosting;

public sealed class ChecksummedGrainStorageSerializerTests
{
    private readonly ChecksummedGrainStorageSerializer _serializer = new(new Utf8Serializer());

    [Fact]
    public void Serialize_SealsThePayloadBehindAMarkerAndItsChecksum_AndReadsItBack()
    {
        var stored = _serializer.Serialize("outbox: job_1, job_2").ToArray();

        Assert.Equal("BFS\u0001"u8.ToArray(), stored[..4]);
        Assert.Equal("outbox: job_1, job_2", Encoding.UTF8.GetString(stored[12..]));
        Assert.Equal("outbox: job_1, job_2", _serializer.Deserialize<string>(new BinaryData(stored)));
    }

    [Fact]
    public void Deserialize_AnyByteOfTheChecksumOrPayloadChanged_Throws()
    {
        var stored = _serializer.Serialize("outbox: job_1, job_2").ToArray();

        for (var i = 4; i < stored.Length; i++)
        {
            var damaged = (byte[])stored.Clone();
            damaged[i] ^= 0x01;
            var error = Assert.Throws<InvalidDataException>(() => _serializer.Deserialize<string>(new BinaryData(damaged)));
            Assert.StartsWith("Stored grain state fails its checksum", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void Deserialize_Truncated_Throws(int bytesLost)
    {
        var stored = _serializer.Serialize("outbox: job_1, job_2").ToArray();

        Assert.Throws<InvalidDataException>(() => _serializer.Deserialize<string>(new BinaryData(stored[..^bytesLost])));
        Assert.Throws<InvalidDataException>(() => _serializer.Deserialize<string>(new BinaryData(stored[..6])));
    }

    [Fact]
    public void Deserialize_APayloadWrittenBeforeTheEnvelope_IsReadAsItIs()
    {
        Assert.Equal("{\"legacy\":true}", _serializer.Deserialize<string>(new BinaryData("{\"legacy\":true}"u8.ToArray())));
    }

    // Stands in for Orleans' serializer: a string as its UTF-8 bytes.
    private sealed class Utf8Serializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => new(Encoding.UTF8.GetBytes((string)(object)input!));

        public T? Deserialize<T>(BinaryData input) => (T)(object)Encoding.UTF8.GetString(input.ToArray());
    }
}

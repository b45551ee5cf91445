using System.Net;
using BotFleet.JobServer.Auth;

namespace BotFleet.JobServer.Tests.Auth;

/// <summary>The producer/operator access rule on its own: a remote caller is hard to fake over real HTTP.</summary>
public sealed class ProducerAccessTests
{
    public static TheoryData<string?, string?, string?, ProducerAccessDecision> Cases => new()
    {
        // No key configured: loopback (and socket/pipe callers without an address) only.
        { null, null, "127.0.0.1", ProducerAccessDecision.Allowed },
        { null, null, "127.8.9.10", ProducerAccessDecision.Allowed },
        { null, null, "::1", ProducerAccessDecision.Allowed },
        { null, null, "::ffff:127.0.0.1", ProducerAccessDecision.Allowed },
        { null, null, null, ProducerAccessDecision.Allowed },
        { "", "anything", "127.0.0.1", ProducerAccessDecision.Allowed },
        { null, null, "10.1.2.3", ProducerAccessDecision.Forbidden },
        { null, "a-key", "192.168.0.7", ProducerAccessDecision.Forbidden },
        { null, null, "::ffff:10.1.2.3", ProducerAccessDecision.Forbidden },
        { null, null, "2001:db8::1", ProducerAccessDecision.Forbidden },
        // A key configured: the key decides, wherever the caller is.
        { "s3cret", "s3cret", "10.1.2.3", ProducerAccessDecision.Allowed },
        { "s3cret", "s3cret", "127.0.0.1", ProducerAccessDecision.Allowed },
        { "s3cret", null, "127.0.0.1", ProducerAccessDecision.Unauthorized },
        { "s3cret", "S3CRET", "10.1.2.3", ProducerAccessDecision.Unauthorized },
        { "s3cret", "s3cret ", "10.1.2.3", ProducerAccessDecision.Unauthorized },
        { "s3cret", "", "10.1.2.3", ProducerAccessDecision.Unauthorized },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_KeyAndCaller_GiveTheExpectedDecision(string? configured, string? presented, string? address, ProducerAccessDecision expected)
    {
        var decision = ProducerAccess.Decide(configured, presented, address is null ? null : IPAddress.Parse(address));

        Assert.Equal(expected, decision);
    }
}

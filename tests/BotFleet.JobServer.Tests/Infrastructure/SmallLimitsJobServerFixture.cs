namespace BotFleet.JobServer.Tests.Infrastructure;

/// <summary>A server with small size limits, so 413 answers are cheap to provoke.</summary>
public sealed class SmallLimitsJobServerFixture : JobServerFixture
{
    public const int MaxPayloadBytes = 2_048;
    public const int MaxRequestBytes = 16_384;

    protected override IEnumerable<(string Key, string Value)> Settings() =>
    [
        ("MaxPayloadBytes", MaxPayloadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("MaxRequestBytes", MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

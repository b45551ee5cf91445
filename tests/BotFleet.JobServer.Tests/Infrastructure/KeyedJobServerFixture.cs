namespace BotFleet.JobServer.Tests.Infrastructure;

/// <summary>A server with JobServer:EnrollmentKey and JobServer:ApiKey set.</summary>
public sealed class KeyedJobServerFixture : JobServerFixture
{
    public const string EnrollmentKey = "enrol-3f1c";
    public const string ApiKey = "api-9b2e";

    protected override IEnumerable<(string Key, string Value)> Settings() =>
    [
        ("EnrollmentKey", EnrollmentKey),
        ("ApiKey", ApiKey),
    ];
}

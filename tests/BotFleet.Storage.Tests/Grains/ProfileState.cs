namespace BotFleet.Storage.Tests.Grains;

[GenerateSerializer]
[Alias("botfleet.storage.tests.ProfileState")]
public sealed class ProfileState
{
    [Id(0)]
    public string? Name { get; set; }
}

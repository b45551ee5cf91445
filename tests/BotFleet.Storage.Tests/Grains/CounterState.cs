namespace BotFleet.Storage.Tests.Grains;

[GenerateSerializer]
[Alias("botfleet.storage.tests.CounterState")]
public sealed class CounterState
{
    [Id(0)]
    public int Value { get; set; }
}

namespace BotFleet.Storage.Tests.Grains;

/// <summary>A grain whose state lives in the default store.</summary>
[Alias("botfleet.storage.tests.ICounterGrain")]
public interface ICounterGrain : IGrainWithIntegerKey
{
    [Alias("Increment")]
    Task<int> IncrementAsync();

    [Alias("Get")]
    Task<int> GetAsync();
}

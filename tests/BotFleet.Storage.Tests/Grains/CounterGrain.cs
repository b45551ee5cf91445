namespace BotFleet.Storage.Tests.Grains;

public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> counter)
    : Grain, ICounterGrain
{
    public async Task<int> IncrementAsync()
    {
        counter.State.Value++;
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    public Task<int> GetAsync() => Task.FromResult(counter.State.Value);
}

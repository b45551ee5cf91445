namespace BotFleet.Storage.Tests.Grains;

public sealed class ProfileGrain(
    [PersistentState("profile", BotFleetStores.Name)] IPersistentState<ProfileState> profile)
    : Grain, IProfileGrain, IRemindable
{
    public Task<string?> GetNameAsync() => Task.FromResult(profile.State.Name);

    public Task SetNameAsync(string name)
    {
        profile.State.Name = name;
        return profile.WriteStateAsync();
    }

    public Task ClearAsync() => profile.ClearStateAsync();

    public Task<bool> RecordExistsAsync() => Task.FromResult(profile.RecordExists);

    // Due far in the future: the tests check that the reminder is stored, not that it fires.
    public Task RegisterReminderAsync(string reminderName) =>
        this.RegisterOrUpdateReminder(reminderName, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

    public async Task<bool> HasReminderAsync(string reminderName) =>
        await this.GetReminder(reminderName) is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}

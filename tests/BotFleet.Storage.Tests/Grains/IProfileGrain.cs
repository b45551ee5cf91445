namespace BotFleet.Storage.Tests.Grains;

/// <summary>A grain whose state lives in the named "botfleet" store and which owns reminders.</summary>
[Alias("botfleet.storage.tests.IProfileGrain")]
public interface IProfileGrain : IGrainWithStringKey
{
    [Alias("GetName")]
    Task<string?> GetNameAsync();

    [Alias("SetName")]
    Task SetNameAsync(string name);

    [Alias("Clear")]
    Task ClearAsync();

    [Alias("RecordExists")]
    Task<bool> RecordExistsAsync();

    [Alias("RegisterReminder")]
    Task RegisterReminderAsync(string reminderName);

    [Alias("HasReminder")]
    Task<bool> HasReminderAsync(string reminderName);
}

namespace BotFleet.Scheduling.Outbox;

/// <summary>Makes a bot's outbox durable. Saves are called one at a time, newest snapshot last.</summary>
public interface IOutboxStore
{
    Task SaveAsync(OutboxSnapshot snapshot);
}

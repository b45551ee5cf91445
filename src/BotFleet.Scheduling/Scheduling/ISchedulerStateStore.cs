namespace BotFleet.Scheduling.Scheduling;

/// <summary>Makes a bot's outbox and running jobs durable. Saves are called one at a time, newest snapshot last.</summary>
public interface ISchedulerStateStore
{
    Task SaveAsync(SchedulerSnapshot snapshot);
}

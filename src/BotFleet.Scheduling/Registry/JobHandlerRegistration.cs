namespace BotFleet.Scheduling.Registry;

/// <summary>One operation's entry in the registry: its name, its handler type and its timeout.</summary>
public sealed record JobHandlerRegistration(string Operation, Type HandlerType, TimeSpan? Timeout);

namespace BotFleet.Scheduling.Handlers;

/// <summary>The result of an arithmetic job: <c>{"value": number}</c>.</summary>
public sealed record ArithmeticResult(decimal Value);

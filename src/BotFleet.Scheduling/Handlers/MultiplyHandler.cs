namespace BotFleet.Scheduling.Handlers;

/// <summary>op=multiply: <c>a * b</c>.</summary>
public sealed class MultiplyHandler : BinaryArithmeticHandler
{
    protected override decimal Apply(decimal a, decimal b) => a * b;
}

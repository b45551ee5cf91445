namespace BotFleet.Scheduling.Handlers;

/// <summary>op=subtract: <c>a - b</c>.</summary>
public sealed class SubtractHandler : BinaryArithmeticHandler
{
    protected override decimal Apply(decimal a, decimal b) => a - b;
}

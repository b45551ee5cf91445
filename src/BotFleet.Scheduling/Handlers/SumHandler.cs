namespace BotFleet.Scheduling.Handlers;

/// <summary>op=sum: <c>a + b</c>.</summary>
public sealed class SumHandler : BinaryArithmeticHandler
{
    protected override decimal Apply(decimal a, decimal b) => a + b;
}

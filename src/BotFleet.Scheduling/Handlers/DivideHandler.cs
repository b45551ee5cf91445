using BotFleet.Scheduling.Registry;

namespace BotFleet.Scheduling.Handlers;

/// <summary>op=divide: <c>a / b</c>; dividing by zero fails the job.</summary>
public sealed class DivideHandler : BinaryArithmeticHandler
{
    protected override decimal Apply(decimal a, decimal b) =>
        b == 0 ? throw new JobFailedException("division by zero: field 'b' must not be 0") : a / b;
}

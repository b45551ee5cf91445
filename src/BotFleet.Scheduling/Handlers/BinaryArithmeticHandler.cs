using System.Text.Json;
using BotFleet.Scheduling.Registry;

namespace BotFleet.Scheduling.Handlers;

/// <summary>
/// Base of the arithmetic operations: payload <c>{"a": number, "b": number}</c>, result
/// <c>{"value": number}</c>. Decimal arithmetic, so 0.1 + 0.2 is 0.3 as a user expects.
/// </summary>
public abstract class BinaryArithmeticHandler : IJobHandler
{
    public ValueTask<object?> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var a = ReadOperand(context.Payload, "a");
        var b = ReadOperand(context.Payload, "b");
        decimal value;
        try
        {
            value = Apply(a, b);
        }
        catch (OverflowException)
        {
            throw new JobFailedException($"{context.Op} overflowed: the result of {a} and {b} is out of range");
        }

        return ValueTask.FromResult<object?>(new ArithmeticResult(value));
    }

    protected abstract decimal Apply(decimal a, decimal b);

    private static decimal ReadOperand(JsonElement payload, string name)
    {
        if (!payload.TryGetProperty(name, out var operand))
        {
            throw new JobFailedException($"invalid payload: field '{name}' is missing");
        }

        if (operand.ValueKind != JsonValueKind.Number)
        {
            throw new JobFailedException($"invalid payload: field '{name}' must be a number, got {operand.ValueKind.ToString().ToLowerInvariant()}");
        }

        if (!operand.TryGetDecimal(out var value))
        {
            throw new JobFailedException($"invalid payload: field '{name}' is out of range");
        }

        return value;
    }
}

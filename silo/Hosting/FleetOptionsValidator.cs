using Microsoft.Extensions.Options;

namespace BotFleet.Silo.Hosting;

/// <summary>Rejects a bot list that could not start, naming the bot and the rule, before the silo starts.</summary>
public sealed class FleetOptionsValidator : IValidateOptions<FleetOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetOptions options)
    {
        var failures = new List<string>(options.BindingErrors);
        foreach (var (key, bot) in options.Bots)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                failures.Add("BotFleet:Bots: a bot key must not be empty.");
            }

            failures.AddRange(bot.ToDefinition().Validate(setting => $"{FleetOptions.SectionName}:{key}:{setting}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

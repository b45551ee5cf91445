namespace BotFleet.Silo.Hosting;

/// <summary>The bots this silo starts, by bot key (configuration section "BotFleet:Bots").</summary>
public sealed class FleetOptions
{
    public const string SectionName = "BotFleet:Bots";

    public Dictionary<string, BotOptions> Bots { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Values under the section that could not be read (a number that is not one, a key no bot has).</summary>
    public List<string> BindingErrors { get; } = [];

    /// <summary>
    /// Reads each bot on its own, strictly: the binder would skip a whole dictionary entry with a bad value without a
    /// word, so a typo or "abc" in one bot's settings must instead stop the silo, naming the key.
    /// </summary>
    public void Bind(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        foreach (var child in section.GetChildren())
        {
            var unknown = child.GetChildren().Select(c => c.Key).Where(k => !BotOptions.Settings.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
            {
                BindingErrors.AddRange(unknown.Select(k => $"{child.Path}:{k} is not a bot setting (a bot has {string.Join(", ", BotOptions.Settings)})."));
                continue;
            }

            var bot = new BotOptions();
            try
            {
                child.Bind(bot);
                Bots[child.Key] = bot;
            }
            catch (InvalidOperationException ex)
            {
                BindingErrors.Add($"{child.Path}: {ex.Message}");
            }
        }
    }
}

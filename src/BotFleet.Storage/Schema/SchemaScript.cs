namespace BotFleet.Storage.Schema;

/// <summary>One embedded schema script.</summary>
/// <param name="Name">File name, such as <c>002-Persistence.sql</c>.</param>
/// <param name="Text">The SQL.</param>
internal sealed record SchemaScript(string Name, string Text);

namespace BotFleet.EndToEnd.Tests.Infrastructure;

/// <summary>A directory of its own for one test's databases, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("botfleet-e2e-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a stopping process is left for the OS to clean.
        }
    }
}

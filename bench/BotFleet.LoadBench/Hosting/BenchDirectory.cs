namespace BotFleet.LoadBench.Hosting;

/// <summary>
/// The temp folder of one run: a working/data folder per process and their captured output. Removed on
/// dispose unless the run failed or <c>--keep-temp</c> was given, so the logs are there to read.
/// </summary>
internal sealed class BenchDirectory : IDisposable
{
    private BenchDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>Keep the folder on dispose (set when a run fails).</summary>
    public bool Keep { get; set; }

    public static BenchDirectory Create(string scenario)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"botfleet-loadbench-{scenario}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(path);
        return new BenchDirectory(path);
    }

    /// <summary>A sub-folder, created.</summary>
    public string Folder(string name)
    {
        var folder = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Dispose()
    {
        if (Keep)
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held open stays behind in the temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}

using System.Text.RegularExpressions;

namespace BotFleet.EndToEnd.Tests.Codebase;

/// <summary>
/// The documents name tests as their evidence (<c>`Class.Method` (`tests/…/File.cs`)</c>, as the behaviour catalogue
/// does); each named test is where the document says. A test moved or renamed without its document fails here, not
/// in a reader's search.
/// </summary>
public sealed partial class DocumentedTestsTests
{
    [Fact]
    public void EveryTestTheDocumentsName_IsInTheFileTheyName()
    {
        var documents = Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Append(Path.Combine(Repository.Root, "README.md")).ToList();

        var named = documents
            .SelectMany(document => NamedTest().Matches(File.ReadAllText(document)).Select(match => (
                Document: Path.GetRelativePath(Repository.Root, document),
                Class: match.Groups["class"].Value,
                Method: match.Groups["method"].Value,
                File: match.Groups["file"].Value)))
            .Distinct()
            .ToList();

        var problems = new List<string>();
        foreach (var (document, testClass, method, file) in named)
        {
            var path = Path.Combine(Repository.Root, file);
            if (!File.Exists(path))
            {
                problems.Add($"{document}: {testClass}.{method} is said to be in {file}, which does not exist");
                continue;
            }

            var source = File.ReadAllText(path);
            if (!Regex.IsMatch(source, $@"\bclass\s+{testClass}\b") || !Regex.IsMatch(source, $@"\b{method}\s*\("))
            {
                problems.Add($"{document}: {file} has no {testClass}.{method}");
            }
        }

        Assert.Empty(problems);
        // The check reads the real catalogue: it names well over a hundred tests.
        Assert.True(named.Count(n => n.Document == Path.Combine("docs", "scheduler-behaviour.md")) > 100, $"found {named.Count} named tests");
    }

    [GeneratedRegex(@"`(?<class>[A-Z]\w*)\.(?<method>[A-Z]\w*)` \(`(?<file>tests/[^`:]+\.cs)")]
    private static partial Regex NamedTest();
}

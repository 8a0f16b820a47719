using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// docs/architecture.md's dependency diagram against the real graph: every arrow of its mermaid block must be a
/// <c>&lt;ProjectReference&gt;</c> in <c>src/*/*.csproj</c> and every such reference must be drawn (the diagram once
/// kept a Storage → Protocol arrow long after the reference was gone).
/// </summary>
public sealed partial class ArchitectureDocTests
{
    [Fact]
    public void DependencyDiagram_DrawsExactlyTheProjectReferences()
    {
        string root = RepoRoot();
        var actual = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var project in Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            string from = Short(Path.GetFileNameWithoutExtension(project));
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
                actual.Add($"{from} -> {Short(Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/')))}");
        }
        Assert.NotEmpty(actual);

        string doc = File.ReadAllText(Path.Combine(root, "docs", "architecture.md"));
        var block = MermaidBlock().Match(doc);
        Assert.True(block.Success, "docs/architecture.md has no ```mermaid flowchart block");
        var drawn = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in block.Groups[1].Value.Split('\n'))
        {
            var arrow = Arrow().Match(line);
            if (!arrow.Success)
                continue;
            foreach (var target in arrow.Groups[2].Value.Split('&', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                drawn.Add($"{arrow.Groups[1].Value} -> {target}");
        }

        Assert.True(actual.SetEquals(drawn),
            $"drawn but not referenced: [{string.Join(", ", drawn.Except(actual))}]; referenced but not drawn: [{string.Join(", ", actual.Except(drawn))}]");
    }

    /// <summary>The diagram's node id of a project: its name without "VerticalFL." and without dots (Protocol.Channels → ProtocolChannels).</summary>
    private static string Short(string projectName) =>
        (projectName.StartsWith("VerticalFL.", StringComparison.Ordinal) ? projectName["VerticalFL.".Length..] : projectName).Replace(".", "");

    [GeneratedRegex(@"```mermaid\s*\nflowchart[^\n]*\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex MermaidBlock();

    /// <summary><c>Node[label] --&gt; A &amp; B</c> or <c>Node --&gt; A</c>.</summary>
    [GeneratedRegex(@"^\s*(\w+)(?:\[[^\]]*\])?\s*-->\s*(.+?)\s*$")]
    private static partial Regex Arrow();

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "VerticalFL.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("VerticalFL.sln not found above the test binaries.");
    }
}

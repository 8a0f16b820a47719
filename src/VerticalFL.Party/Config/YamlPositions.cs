using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VerticalFL.Party.Config;

/// <summary>Where a key and its value stand in a YAML document, 1-based, as an editor shows them.</summary>
public readonly record struct YamlPosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>
/// The position of every mapping key in a YAML document, by dotted path ("training.batch_size"), so errors found
/// after deserialising can still point at what the operator wrote.
/// </summary>
public sealed class YamlPositions
{
    private readonly Dictionary<string, (YamlPosition Key, YamlPosition Value)> _positions = new(StringComparer.Ordinal);

    /// <summary>Reads the positions; a document that does not parse yields none (its parse error is reported elsewhere).</summary>
    public static YamlPositions Of(string yaml)
    {
        var positions = new YamlPositions();
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count > 0)
                positions.Walk(stream.Documents[0].RootNode, "");
        }
        catch (YamlException)
        {
        }
        return positions;
    }

    public YamlPosition? Key(string path) => _positions.TryGetValue(path, out var p) ? p.Key : null;

    public YamlPosition? Value(string path) => _positions.TryGetValue(path, out var p) ? p.Value : null;

    private void Walk(YamlNode node, string prefix)
    {
        if (node is not YamlMappingNode mapping) return;
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name }) continue;
            string path = prefix + name;
            _positions.TryAdd(path, (At(key.Start), At(value.Start)));
            Walk(value, path + ".");
        }
    }

    private static YamlPosition At(Mark mark) => new((int)mark.Line, (int)mark.Column);
}

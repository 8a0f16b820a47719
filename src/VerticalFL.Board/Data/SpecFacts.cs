using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VerticalFL.Board.Data;

/// <summary>
/// The few facts the board reads from a stored spec (its name, planned epochs, encryption keys). A spec is stored as
/// YAML (from an operator) or JSON (proposed by a guest); YAML reads both. A spec that does not parse yields nothing:
/// the board shows its text as stored.
/// </summary>
internal sealed class SpecFacts
{
    private readonly YamlMappingNode? _root;

    private SpecFacts(YamlMappingNode? root) => _root = root;

    public static SpecFacts Parse(string spec)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(spec));
            return new SpecFacts(stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : null);
        }
        catch (YamlException)
        {
            return new SpecFacts(null);
        }
    }

    public string Name => Scalar("name") ?? "";

    /// <summary>The planned epochs (<c>training.epochs</c> or FATE's <c>max_iter</c>), if the spec says.</summary>
    public int? Epochs => int.TryParse(Scalar("training", "epochs") ?? Scalar("training", "max_iter"), out var n) ? n : null;

    /// <summary>A horizontal job's planned rounds (<c>training.rounds</c>, default 20).</summary>
    public int Rounds => int.TryParse(Scalar("training", "rounds"), out var n) ? n : 20;

    /// <summary>The encryption keys a spec may set, for jobs whose parties stored no description of their own.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Encryption()
    {
        var list = new List<KeyValuePair<string, string>>
        {
            new("scheme", Scalar("training", "encryption") ?? "paillier (default)"),
        };
        foreach (var key in new[] { "key_bits", "gradient_mode", "encryption_mode" })
            if (Scalar("training", key) is { } value)
                list.Add(new(key, value));
        return list;
    }

    private string? Scalar(params string[] path)
    {
        YamlNode? node = _root;
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node))
                return null;
        }
        return (node as YamlScalarNode)?.Value;
    }
}

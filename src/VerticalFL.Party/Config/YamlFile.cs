using VerticalFL.Ml.Data;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace VerticalFL.Party.Config;

/// <summary>Reads a YAML document into a type; every error names the file, line and column.</summary>
internal static class YamlFile
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static T Read<T>(string path) where T : new()
    {
        if (!File.Exists(path))
            throw new BadInputException($"{path}: file not found.");
        return Parse<T>(File.ReadAllText(path), path);
    }

    public static T Parse<T>(string yaml, string source) where T : new()
    {
        try
        {
            return Deserializer.Deserialize<T>(yaml) ?? new T();
        }
        catch (YamlException e)
        {
            throw new BadInputException($"{source}:{e.Start.Line}:{e.Start.Column}: {YamlErrors.Reason<T>(e)}", e);
        }
    }
}

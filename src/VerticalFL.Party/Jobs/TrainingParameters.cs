using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// A job spec's <c>training:</c> section: parameter name → value as written. A nested map is read as dotted names, so
/// <c>dp: {epsilon: 4}</c> and <c>dp.epsilon: 4</c> are the same parameter <c>dp.epsilon</c>; every value is a scalar.
/// </summary>
public sealed class TrainingParameters : Dictionary<string, string>, IYamlConvertible
{
    public TrainingParameters() : base(StringComparer.Ordinal)
    {
    }

    /// <summary>A section holding <paramref name="parameters"/> (names already flat, e.g. <c>dp.epsilon</c>).</summary>
    public static TrainingParameters Of(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var section = new TrainingParameters();
        foreach (var (name, value) in parameters)
            section[name] = value;
        return section;
    }

    void IYamlConvertible.Read(IParser parser, Type expectedType, ObjectDeserializer nestedObjectDeserializer)
    {
        if (parser.TryConsume<Scalar>(out var empty) && empty.Value.Length == 0)
            return; // "training:" with nothing under it
        if (empty is not null)
            throw new YamlException(empty.Start, empty.End, "training: expected a map of parameters (name: value)");
        ReadMapping(parser, "");
    }

    private void ReadMapping(IParser parser, string prefix)
    {
        parser.Consume<MappingStart>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Consume<Scalar>();
            string name = prefix + key.Value;
            if (parser.Accept<MappingStart>(out _))
            {
                ReadMapping(parser, name + ".");
                continue;
            }
            string text;
            if (parser.TryConsume<SequenceStart>(out _))
            {
                // A list of scalars (a horizontal MLP's hidden: [32, 16]) is kept as written: "[32, 16]".
                var items = new List<string>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    if (!parser.TryConsume<Scalar>(out var item))
                        throw new YamlException(key.Start, key.End, $"training.{name}: expected a list of values");
                    items.Add(item.Value);
                }
                text = $"[{string.Join(", ", items)}]";
            }
            else if (parser.TryConsume<Scalar>(out var value))
                text = value.Value;
            else
                throw new YamlException(key.Start, key.End, $"training.{name}: expected a value, a list of values or a map of values");
            if (!TryAdd(name, text))
                throw new YamlException(key.Start, key.End, $"training.{name}: given twice (as '{name}' and as a nested key, or repeated)");
        }
    }

    void IYamlConvertible.Write(IEmitter emitter, ObjectSerializer nestedObjectSerializer)
    {
        emitter.Emit(new MappingStart());
        foreach (var (name, value) in this)
        {
            emitter.Emit(new Scalar(name));
            emitter.Emit(new Scalar(value));
        }
        emitter.Emit(new MappingEnd());
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using VerticalFL.Ml.Data;
using VerticalFL.Protocol.Psi;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Party.Jobs;

/// <summary>Turns a job spec's sections into the protocol layer's typed settings.</summary>
public static class JobParameters
{
    /// <summary>The spec's <c>training</c> map as validated hetero-LR parameters; a bad one is named.</summary>
    public static HeteroLrParameters Training(JobSpec spec)
    {
        var json = new JsonObject();
        foreach (var (name, value) in spec.Training)
        {
            // "dp.epsilon" is the member "epsilon" of the object "dp".
            var parts = name.Split('.');
            var target = json;
            foreach (string part in parts[..^1])
                target = target[part] as JsonObject ?? (JsonObject)(target[part] = new JsonObject());
            target[parts[^1]] = Scalar(value);
        }
        try
        {
            return HeteroLrParameters.FromJson(json.ToJsonString()).Validate(spec.Data.Hosts.Count);
        }
        catch (ArgumentException e)
        {
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "");
            throw new BadInputException($"job '{spec.Name}': training.{message}", e);
        }
    }

    public static DuplicateIdPolicy Duplicates(JobSpec spec) =>
        spec.Psi.Duplicates == DuplicatePolicy.KeepFirst ? DuplicateIdPolicy.KeepFirst : DuplicateIdPolicy.Reject;

    public static FederationRoles Roles(JobSpec spec, string guest) => new(guest, spec.Data.Hosts.Keys.ToList(), spec.Arbiter);

    /// <summary>YAML gives every scalar as text; JSON needs numbers and booleans typed.</summary>
    private static JsonNode? Scalar(string value)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long integer)) return integer;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)) return number;
        if (bool.TryParse(value, out bool flag)) return flag;
        return value;
    }
}

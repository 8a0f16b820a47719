namespace VerticalFL.Storage;

/// <summary>One party's part of a trained model, to be saved as the next version.</summary>
/// <param name="Format">Names the content's schema, e.g. <c>hetero-lr/v1</c>.</param>
/// <param name="Content">The model part, serialised (JSON).</param>
public sealed record NewModel(string JobId, string PartyId, PartyRole Role, string Format, string Content);

/// <summary>A stored model part. Versions start at 1 per job and party.</summary>
public sealed record ModelRecord(
    string JobId,
    string PartyId,
    PartyRole Role,
    int Version,
    string Format,
    string Content,
    DateTime CreatedUtc);

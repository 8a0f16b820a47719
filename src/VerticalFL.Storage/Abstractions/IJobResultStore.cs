namespace VerticalFL.Storage;

/// <summary>
/// Named results of a job at this party, kept as text: the intersection size, the final model's ROC points (JSON).
/// What the board shows beyond the state, the iterations and the models.
/// </summary>
public interface IJobResultStore
{
    /// <summary>Sets <paramref name="name"/> for the job, replacing an earlier value.</summary>
    /// <exception cref="ArgumentException">An id or name is blank or too long.</exception>
    Task SaveAsync(string jobId, string name, string content, CancellationToken cancellationToken = default);

    /// <summary>Every result of the job, by name.</summary>
    Task<IReadOnlyDictionary<string, string>> ListAsync(string jobId, CancellationToken cancellationToken = default);
}

/// <summary>The names results are saved under.</summary>
public static class JobResultNames
{
    /// <summary>The number of rows both sides share after PSI, as an integer.</summary>
    public const string Intersection = "intersection";

    /// <summary>The final model's ROC on the guest's evaluation rows: JSON of <c>{"auc":…,"ks":…,"points":[[share, fpr, tpr], …]}</c>.</summary>
    public const string Roc = "roc";

    /// <summary>The encryption scheme and its parameters: a JSON object of name → text.</summary>
    public const string Encryption = "encryption";
}

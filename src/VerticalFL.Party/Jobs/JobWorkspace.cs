namespace VerticalFL.Party.Jobs;

/// <summary>The files one party keeps for one job, all under one directory.</summary>
public sealed record JobWorkspace(string Directory)
{
    /// <summary>This party's rows of the intersection, sorted by id.</summary>
    public string AlignedData => Path.Combine(Directory, "aligned.csv");

    /// <summary>This party's model part (never another party's weights).</summary>
    public string Model => Path.Combine(Directory, "model.json");

    public string Predictions => Path.Combine(Directory, "predictions.csv");

    /// <summary>The guest's summary of the finished job (metrics, timings, sizes).</summary>
    public string Report => Path.Combine(Directory, "report.json");

    public JobWorkspace Create()
    {
        System.IO.Directory.CreateDirectory(Directory);
        return this;
    }
}

namespace VerticalFL.Protocol.Channels;

/// <summary>Where in a job a message belongs: an epoch and a batch, or <see cref="None"/>.</summary>
public readonly record struct Step(int Epoch, int Batch)
{
    /// <summary>A message not tied to a training step (setup, PSI, prediction).</summary>
    public static readonly Step None = new(-1, -1);

    public static Step Of(int epoch, int batch = -1) => new(epoch, batch);

    public override string ToString() => this == None ? "-" : $"e{Epoch}/b{Batch}";
}

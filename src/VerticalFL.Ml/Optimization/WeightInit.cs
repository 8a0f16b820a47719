using VerticalFL.Ml.Training;

namespace VerticalFL.Ml.Optimization;

/// <summary>Initial weights: zeros, or uniform on [−0.5, 0.5) from the job seed and the party's index.</summary>
public static class WeightInit
{
    /// <param name="partyIndex">0 for the guest, 1… for hosts, so parties draw independent values.</param>
    public static double[] Create(InitKind kind, int size, long seed, int partyIndex)
    {
        var weights = new double[size];
        if (kind == InitKind.RandomUniform)
        {
            var random = new DeterministicRandom(seed, -1 - partyIndex);
            for (int i = 0; i < size; i++)
                weights[i] = random.NextDouble() - 0.5;
        }
        return weights;
    }
}

using System.Numerics;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// A data party's CKKS gradient: for each column j, [[Σ_b 4d_b ⊙ x_{b,j}]] by lazy multiply-accumulate, re-randomised
/// with a fresh encryption of zero, split into c₁ and a masked c₀ sum; the arbiter returns one flooded integer per
/// column; the party removes its mask and reads Σᵢ 4dᵢ·xᵢⱼ = (N/2)·m₀/(Δ_d·Δ_x).
/// </summary>
internal static class CkksGradient
{
    /// <returns>Σᵢ xᵢⱼ·4dᵢ per column (flooded), in the order of <paramref name="columns"/>.</returns>
    public static async Task<double[]> SumsAsync(IPartyChannel channel, string arbiter, CkksSession session,
        IReadOnlyList<Ciphertext> residuals, Plaintext[][] columns, int batchRows, Step step, CancellationToken ct)
    {
        var requests = new Coefficient0Request[columns.Length];
        var masks = new BigInteger[columns.Length];
        Parallel.For(0, columns.Length, j =>
        {
            var accumulator = new CiphertextAccumulator(session.Context, session.Context.FirstParmsId);
            for (int b = 0; b < residuals.Count; b++)
                accumulator.MultiplyPlainAdd(residuals[b], columns[j][b]);
            var sum = session.Evaluator.Add(accumulator.ToCiphertext(), session.FreshZero());
            (requests[j], masks[j]) = Coefficient0Release.Split(session.Context, sum, masked: true);
        });
        await channel.SendAsync(arbiter, CkksWire.Request(requests, batchRows), step, ct);
        var released = Wire.Integers(await channel.ReceiveAsync<MaskedValues>(arbiter, step, ct));
        if (released.Length != columns.Length)
            throw new InvalidOperationException($"The arbiter returned {released.Length} values for {columns.Length} gradient entries.");
        var level = session.Context.FirstParmsId;
        return released.Select((v, j) => CkksSession.SlotSum(Coefficient0Release.Unmask(session.Context, v, masks[j], level))).ToArray();
    }
}

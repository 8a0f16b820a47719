using System.Numerics;
using System.Runtime.InteropServices;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// A data party's CKKS gradient: for each column j, [[Σ_b 4d_b ⊙ x_{b,j}]] by lazy multiply-accumulate, re-randomised
/// with a fresh encryption of zero at the data level (so c₁ says nothing about x_j), split into c₁ and a masked c₀ sum; the arbiter returns one flooded integer per
/// column; the party removes its mask and reads Σᵢ 4dᵢ·xᵢⱼ = (N/2)·m₀/(Δ_d·Δ_x).
/// </summary>
internal static class CkksGradient
{
    /// <returns>Σᵢ xᵢⱼ·4dᵢ per column (flooded), in the order of <paramref name="columns"/>.</returns>
    public static async Task<double[]> SumsAsync(IPartyChannel channel, string arbiter, CkksSession session,
        IReadOnlyList<Ciphertext> residuals, Plaintext[][] columns, int batchRows, Step step, CancellationToken ct)
    {
        var level = session.Context.FirstParmsId;
        int primes = session.Context.PrimeCountOf(level), words = primes * session.Context.N;
        // The request is written straight into the message's buffers: c₁ of entry j at words·j, its sums at primes·j.
        var c1 = new byte[(long)columns.Length * words * sizeof(ulong)];
        var sums = new ulong[columns.Length * primes];
        var masks = new BigInteger[columns.Length];
        Parallel.For(0, columns.Length, () => new CiphertextAccumulator(session.Context, level), (j, _, accumulator) =>
        {
            accumulator.Clear();
            for (int b = 0; b < residuals.Count; b++)
                accumulator.MultiplyPlainAdd(residuals[b], columns[j][b]);
            var sum = accumulator.ToRerandomizedCiphertext(session.Encryptor);
            var target = MemoryMarshal.Cast<byte, ulong>(c1.AsSpan()).Slice(j * words, words);
            masks[j] = Coefficient0Release.SplitInto(session.Context, sum, target, sums.AsSpan(j * primes, primes), masked: true);
            return accumulator;
        }, _ => { });
        await channel.SendAsync(arbiter, CkksWire.Request(c1, sums, columns.Length, batchRows), step, ct);
        var released = Wire.Integers(await channel.ReceiveAsync<MaskedValues>(arbiter, step, ct));
        if (released.Length != columns.Length)
            throw new InvalidOperationException($"The arbiter returned {released.Length} values for {columns.Length} gradient entries.");
        return released.Select((v, j) => CkksSession.SlotSum(Coefficient0Release.Unmask(session.Context, v, masks[j], level))).ToArray();
    }
}

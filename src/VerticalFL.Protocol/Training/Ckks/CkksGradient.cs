using System.Collections.Concurrent;
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
    /// <remarks>
    /// The request goes in chunks of <see cref="CkksWire.EntriesPerMessage"/> columns (≤ 4 MiB each, in order): chunk
    /// k + 1 is computed while chunk k is on the wire, and the arbiter starts releasing as the first one arrives.
    /// </remarks>
    public static async Task<double[]> SumsAsync(IPartyChannel channel, string arbiter, CkksSession session,
        IReadOnlyList<Ciphertext> residuals, Plaintext[][] columns, int batchRows, Step step, CancellationToken ct)
    {
        var level = session.Context.FirstParmsId;
        int primes = session.Context.PrimeCountOf(level), words = primes * session.Context.N;
        int perMessage = CkksWire.EntriesPerMessage(session.Context);
        var masks = new BigInteger[columns.Length];
        var accumulators = new ConcurrentBag<CiphertextAccumulator>();
        var sending = Task.CompletedTask;
        for (int first = 0; first < columns.Length; first += perMessage)
        {
            int count = Math.Min(perMessage, columns.Length - first), offset = first;
            // Each chunk is written straight into its message's buffers: c₁ of entry e at words·e, its sums at primes·e.
            var c1 = new byte[(long)count * words * sizeof(ulong)];
            var sums = new ulong[count * primes];
            Parallel.For(0, count, () => accumulators.TryTake(out var a) ? a : new CiphertextAccumulator(session.Context, level), (e, _, accumulator) =>
            {
                accumulator.Clear();
                for (int b = 0; b < residuals.Count; b++)
                    accumulator.MultiplyPlainAdd(residuals[b], columns[offset + e][b]);
                var sum = accumulator.ToRerandomizedCiphertext(session.Encryptor);
                var target = MemoryMarshal.Cast<byte, ulong>(c1.AsSpan()).Slice(e * words, words);
                masks[offset + e] = Coefficient0Release.SplitInto(session.Context, sum, target, sums.AsSpan(e * primes, primes), masked: true);
                return accumulator;
            }, accumulators.Add);
            await sending;   // chunks leave in order: the arbiter checks each one's first index
            sending = channel.SendAsync(arbiter, CkksWire.Request(c1, sums, count, batchRows, offset, columns.Length), step, ct);
        }
        await sending;
        var released = Wire.Integers(await channel.ReceiveAsync<MaskedValues>(arbiter, step, ct));
        if (released.Length != columns.Length)
            throw new InvalidOperationException($"The arbiter returned {released.Length} values for {columns.Length} gradient entries.");
        return released.Select((v, j) => CkksSession.SlotSum(Coefficient0Release.Unmask(session.Context, v, masks[j], level))).ToArray();
    }
}

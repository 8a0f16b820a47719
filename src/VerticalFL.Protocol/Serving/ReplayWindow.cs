namespace VerticalFL.Protocol.Serving;

/// <summary>
/// Refuses a request id seen before (or too old to tell) within one session. With several hosts a partial score's
/// mask is derived from (session, request id): answering two different batches under the same pair would hand the
/// guest the difference of two of this host's masked vectors, i.e. of its real scores. Request ids may arrive out of
/// order (the guest sends concurrently), so the last <see cref="Width"/> ids below the highest are tracked.
/// </summary>
public sealed class ReplayWindow
{
    public const int Width = 4096;

    private readonly ulong[] _seen = new ulong[Width / 64];
    private ulong _highest;
    private bool _any;

    /// <summary>True the first time an id is offered (and it is not older than the window); false afterwards.</summary>
    public bool TryAccept(ulong id)
    {
        lock (_seen)
        {
            if (!_any || id > _highest)
            {
                ulong shift = _any ? id - _highest : Width;
                for (ulong k = _highest + 1; _any && k <= id && shift < Width; k++)
                    Clear(k);
                if (shift >= Width)
                    Array.Clear(_seen);
                _highest = id;
                _any = true;
                Set(id);
                return true;
            }
            if (_highest - id >= Width || IsSet(id))
                return false;
            Set(id);
            return true;
        }
    }

    private void Set(ulong id) => _seen[(int)(id % Width / 64)] |= 1UL << (int)(id % 64);
    private void Clear(ulong id) => _seen[(int)(id % Width / 64)] &= ~(1UL << (int)(id % 64));
    private bool IsSet(ulong id) => (_seen[(int)(id % Width / 64)] & (1UL << (int)(id % 64))) != 0;
}

namespace VerticalFL.Protocol.Psi;

/// <summary>
/// Folds a guest's <see cref="PsiProgress"/> reports into the share of the whole run done: both stages with
/// every host, each weighted alike. Safe to call from the protocol's worker threads.
/// </summary>
public sealed class PsiCompletion(int hosts)
{
    private readonly int _stages = 2 * Math.Max(1, hosts);
    private readonly Dictionary<(string Peer, PsiStage Stage), double> _done = [];

    /// <summary>Fraction of the run done, 0 to 1.</summary>
    public double Fraction
    {
        get
        {
            lock (_done)
                return Math.Min(1.0, _done.Values.Sum() / _stages);
        }
    }

    /// <summary>Records one report (one with no ids to do is ignored) and returns the new fraction.</summary>
    public double Add(PsiProgress value)
    {
        if (value.Total > 0)
        {
            lock (_done)
                _done[(value.Peer, value.Stage)] = (double)value.Done / value.Total;
        }
        return Fraction;
    }
}

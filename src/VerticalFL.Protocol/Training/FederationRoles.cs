namespace VerticalFL.Protocol.Training;

/// <summary>The party ids of one job: one guest, one or more hosts, one arbiter.</summary>
public sealed record FederationRoles
{
    public FederationRoles(string guest, IReadOnlyList<string> hosts, string arbiter)
    {
        ArgumentException.ThrowIfNullOrEmpty(guest);
        ArgumentException.ThrowIfNullOrEmpty(arbiter);
        if (hosts.Count == 0)
            throw new ArgumentException("hosts: a job needs at least one host.", nameof(hosts));
        var all = hosts.Append(guest).Append(arbiter).ToList();
        if (all.Distinct().Count() != all.Count)
            throw new ArgumentException("Every party of a job needs a distinct id.", nameof(hosts));
        Guest = guest;
        Hosts = hosts;
        Arbiter = arbiter;
    }

    public string Guest { get; }
    public IReadOnlyList<string> Hosts { get; }
    public string Arbiter { get; }

    /// <summary>Guest first, then hosts: the order of party indices (initial weights are drawn per index).</summary>
    public IReadOnlyList<string> DataParties => [Guest, .. Hosts];
}

namespace VerticalFL.Storage;

/// <summary>Where a page of jobs ends: the last job's creation time and id (the list's sort key).</summary>
public sealed record JobCursor(DateTime CreatedUtc, string Id);

/// <summary>A page request for the job list.</summary>
/// <param name="State">Only jobs in this state, or every state.</param>
/// <param name="Kind">Only jobs of this kind, or every kind.</param>
/// <param name="After">Continue after this job (from a previous page's <see cref="JobPage.Next"/>).</param>
/// <param name="Limit">At most this many jobs, 1 to 500.</param>
public sealed record JobListQuery(JobState? State = null, string? Kind = null, JobCursor? After = null, int Limit = 50);

/// <summary>A job in a list, with its kind.</summary>
public sealed record JobListItem(JobRecord Job, string Kind);

/// <summary>One page of jobs; <paramref name="Next"/> is null on the last page.</summary>
public sealed record JobPage(IReadOnlyList<JobListItem> Jobs, JobCursor? Next);

/// <summary>A job entered <paramref name="State"/> at <paramref name="AtUtc"/>.</summary>
public sealed record JobEvent(JobState State, DateTime AtUtc);

/// <summary>An audit entry with its row id (the cursor of audit pages).</summary>
public sealed record AuditRecord(long Id, AuditEntry Entry);

/// <summary>One page of a job's audit trail; <paramref name="NextAfter"/> is the id to continue after, null on the last page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Entries, long? NextAfter);

/// <summary>What this party exchanged with one peer in one direction over a job.</summary>
public sealed record PeerTraffic(string Peer, AuditDirection Direction, long Messages, long Bytes);

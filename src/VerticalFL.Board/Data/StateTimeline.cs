using VerticalFL.Storage;

namespace VerticalFL.Board.Data;

/// <summary>Time spent in each state, from the job's state history.</summary>
internal static class StateTimeline
{
    /// <summary>
    /// One span per state entered: to the next state, or to <paramref name="nowUtc"/> for the state a running job is in
    /// (an ended job's last state has no duration). A job stored before the history was kept gets its creation and,
    /// if it moved since, its current state.
    /// </summary>
    public static IReadOnlyList<StateSpan> Of(JobRecord job, IReadOnlyList<JobEvent> events, DateTime nowUtc)
    {
        if (events.Count == 0)
            events = job.State == JobState.Pending
                ? [new JobEvent(JobState.Pending, job.CreatedUtc)]
                : [new JobEvent(JobState.Pending, job.CreatedUtc), new JobEvent(job.State, job.UpdatedUtc)];
        var spans = new List<StateSpan>(events.Count);
        for (int i = 0; i < events.Count; i++)
        {
            bool last = i == events.Count - 1;
            var end = !last ? events[i + 1].AtUtc : events[i].State.IsTerminal() ? events[i].AtUtc : nowUtc;
            var spent = end - events[i].AtUtc;
            spans.Add(new StateSpan(events[i].State, events[i].AtUtc, spent < TimeSpan.Zero ? TimeSpan.Zero : spent, last));
        }
        return spans;
    }
}

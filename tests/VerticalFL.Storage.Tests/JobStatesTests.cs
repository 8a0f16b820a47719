namespace VerticalFL.Storage.Tests;

public sealed class JobStatesTests
{
    /// <summary>Every allowed move, written out by hand from the design: the rest must be refused.</summary>
    private static readonly HashSet<(JobState, JobState)> Allowed =
    [
        (JobState.Pending, JobState.Psi),
        (JobState.Psi, JobState.Training),
        (JobState.Training, JobState.Evaluating),
        (JobState.Evaluating, JobState.Succeeded),
        (JobState.Psi, JobState.Succeeded),   // a PSI-only job ends after the intersection
        (JobState.Pending, JobState.Failed), (JobState.Pending, JobState.Cancelled),
        (JobState.Psi, JobState.Failed), (JobState.Psi, JobState.Cancelled),
        (JobState.Training, JobState.Failed), (JobState.Training, JobState.Cancelled),
        (JobState.Evaluating, JobState.Failed), (JobState.Evaluating, JobState.Cancelled),
    ];

    public static TheoryData<JobState, JobState> AllPairs()
    {
        var data = new TheoryData<JobState, JobState>();
        foreach (var from in Enum.GetValues<JobState>())
            foreach (var to in Enum.GetValues<JobState>())
                data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void CanMove_AnyPair_MatchesTheDesign(JobState from, JobState to)
    {
        Assert.Equal(Allowed.Contains((from, to)), JobStates.CanMove(from, to));
    }

    [Fact]
    public void Active_States_AreExactlyTheNonTerminalOnes()
    {
        Assert.Equal(Enum.GetValues<JobState>().Where(s => !s.IsTerminal()), JobStates.Active);
    }
}

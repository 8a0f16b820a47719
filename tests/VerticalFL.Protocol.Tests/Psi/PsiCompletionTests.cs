using VerticalFL.Protocol.Psi;

namespace VerticalFL.Protocol.Tests.Psi;

public sealed class PsiCompletionTests
{
    [Fact]
    public void Add_ReportsOfTwoHosts_GiveTheShareOfAllFourStagesAndKeepTheLatestPerStage()
    {
        var completion = new PsiCompletion(hosts: 2);
        Assert.Equal(0.125, completion.Add(new PsiProgress("h1", PsiStage.OwnIds, 50, 100)), 12);
        Assert.Equal(0.25, completion.Add(new PsiProgress("h1", PsiStage.OwnIds, 100, 100)), 12);
        Assert.Equal(0.375, completion.Add(new PsiProgress("h2", PsiStage.PeerIds, 2, 4)), 12);
        Assert.Equal(0.375, completion.Add(new PsiProgress("h2", PsiStage.OwnIds, 0, 0)), 12);   // nothing to do: ignored
        Assert.Equal(0.375, completion.Fraction, 12);
    }
}

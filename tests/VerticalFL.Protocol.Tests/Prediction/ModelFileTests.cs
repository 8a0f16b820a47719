using VerticalFL.Ml.Data;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Protocol.Models;

namespace VerticalFL.Protocol.Tests.Prediction;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vfl-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static GuestModelPart Guest => new(["a", "b"], [0.125, -3.5], 0.75, new StandardScaler([1, 2], [3, 4]),
        new ModelMetadata("job-1", "guest", ["host0"], "arbiter", """{"max_iter":3}""", 3, true, DateTimeOffset.UnixEpoch));

    private static HostModelPart Host => new(["c"], [9.8765], new StandardScaler([5], [6]), "job-1", "guest", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Save_ThenLoad_RoundTripsEveryField()
    {
        string path = Path.Combine(_dir, "guest.json");
        ModelFile.Save(path, Guest);
        var loaded = ModelFile.LoadGuest(path);
        Assert.Equal(Guest.FeatureNames, loaded.FeatureNames);
        Assert.Equal(Guest.Weights, loaded.Weights);
        Assert.Equal(Guest.Intercept, loaded.Intercept);
        Assert.Equal(Guest.Scaler.Means, loaded.Scaler.Means);
        Assert.Equal(Guest.Scaler.Scales, loaded.Scaler.Scales);
        Assert.Equal(Guest.Metadata.ParametersJson, loaded.Metadata.ParametersJson);
        Assert.Equal(["host0"], loaded.Metadata.Hosts);
        Assert.Equal(Host.Weights, ModelFile.LoadHost(SaveHost()).Weights);
    }

    [Fact]
    public void Save_WritesVersionedFormatAndLeavesNoTemporaryFiles()
    {
        string path = SaveHost();
        string text = File.ReadAllText(path);
        Assert.Contains("\"format\": \"vfl.hetero_lr.host\"", text);
        Assert.Contains("\"version\": 1", text);
        Assert.DoesNotContain("intercept", text); // a host part carries no guest values
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void LoadGuest_HostFile_RefusedNamingTheFormat()
    {
        string path = SaveHost();
        var e = Assert.Throws<BadInputException>(() => ModelFile.LoadGuest(path));
        Assert.Contains("vfl.hetero_lr.host", e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void LoadHost_FutureVersion_Refused()
    {
        string path = SaveHost();
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"version\": 1", "\"version\": 9"));
        var e = Assert.Throws<BadInputException>(() => ModelFile.LoadHost(path));
        Assert.Contains("version 9", e.Message);
    }

    [Fact]
    public async Task Save_TrainedParts_NoFileHoldsAnotherPartysWeights()
    {
        var (guest, hosts) = Training.LrFederation.Data(96, 2, [3]);
        var trained = await Training.LrFederation.RunAsync(new Protocol.Training.HeteroLrParameters { Epochs = 1, BatchSize = -1, Tol = 0 }, guest, hosts);
        string guestPath = Path.Combine(_dir, "g.json"), hostPath = Path.Combine(_dir, "h.json");
        ModelFile.Save(guestPath, trained.Guest);
        ModelFile.Save(hostPath, trained.Hosts[0]);
        string guestText = File.ReadAllText(guestPath), hostText = File.ReadAllText(hostPath);
        Assert.All(trained.Hosts[0].Weights, w => Assert.DoesNotContain(w.ToString("R", System.Globalization.CultureInfo.InvariantCulture), guestText));
        Assert.All(trained.Guest.Weights, w => Assert.DoesNotContain(w.ToString("R", System.Globalization.CultureInfo.InvariantCulture), hostText));
        Assert.Contains(trained.Hosts[0].Weights[0].ToString("R", System.Globalization.CultureInfo.InvariantCulture), hostText);
    }

    private string SaveHost()
    {
        string path = Path.Combine(_dir, "host.json");
        ModelFile.Save(path, Host);
        return path;
    }
}

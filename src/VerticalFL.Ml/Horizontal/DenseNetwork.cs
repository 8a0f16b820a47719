using VerticalFL.Ml.Training;

namespace VerticalFL.Ml.Horizontal;

/// <summary>
/// A fully connected network over one flat parameter vector, in plain spans: no hidden layer is logistic
/// regression (one sigmoid output for two classes, softmax for more), one or two hidden layers (tanh) make
/// a small multilayer perceptron. The flat vector is what clients and the arbiter exchange and average.
/// Layout per layer: the weight matrix (outputs × inputs, row-major), then the biases.
/// </summary>
public sealed class DenseNetwork
{
    private readonly int[] _sizes;
    private readonly int[] _offsets;

    public DenseNetwork(int inputs, int classes, IReadOnlyList<int>? hidden = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "A classifier needs at least 2 classes.");
        hidden ??= [];
        if (hidden.Count > 2 || hidden.Any(h => h < 1))
            throw new ArgumentException($"hidden layers: at most 2, each of at least 1 unit; got [{string.Join(", ", hidden)}].", nameof(hidden));
        Classes = classes;
        _sizes = [inputs, .. hidden, classes == 2 ? 1 : classes];
        _offsets = new int[_sizes.Length];
        for (int l = 1; l < _sizes.Length; l++)
            _offsets[l] = _offsets[l - 1] + _sizes[l] * (_sizes[l - 1] + 1);
        ParameterCount = _offsets[^1];
    }

    public int Inputs => _sizes[0];
    public int Classes { get; }
    public int ParameterCount { get; }
    public IReadOnlyList<int> Hidden => _sizes[1..^1];
    private int Outputs => _sizes[^1];
    private int Layers => _sizes.Length - 1;

    /// <summary>
    /// Starting parameters: zeros without hidden layers (the loss is convex), otherwise Glorot-uniform weights
    /// from <paramref name="seed"/> and zero biases (zeros would keep every hidden unit identical).
    /// </summary>
    public double[] InitialParameters(long seed)
    {
        var parameters = new double[ParameterCount];
        if (Layers == 1)
            return parameters;
        var random = new DeterministicRandom(seed, stream: 0x6e6e);
        for (int l = 0; l < Layers; l++)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];
            double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
            var weights = parameters.AsSpan(_offsets[l], fanOut * fanIn);
            for (int i = 0; i < weights.Length; i++)
                weights[i] = (2 * random.NextDouble() - 1) * limit;
        }
        return parameters;
    }

    /// <summary>
    /// Mean cross-entropy gradient over the rows <paramref name="rows"/> of <paramref name="features"/>
    /// (row-major, <see cref="Inputs"/> columns), written to <paramref name="gradient"/>; returns the summed loss.
    /// Labels are class indices 0 … Classes − 1.
    /// </summary>
    public double LossAndGradient(ReadOnlySpan<double> parameters, ReadOnlySpan<double> features, ReadOnlySpan<double> labels,
        ReadOnlySpan<int> rows, Span<double> gradient)
    {
        CheckParameters(parameters, gradient);
        gradient.Clear();
        var activations = Activations();
        var deltas = Activations();
        double loss = 0;
        foreach (int row in rows)
        {
            Forward(parameters, features.Slice(row * Inputs, Inputs), activations);
            int label = Label(labels[row]);
            loss += OutputDelta(activations[^1], label, deltas[^1]);
            Backward(parameters, activations, deltas, gradient);
        }
        double scale = 1.0 / rows.Length;
        for (int i = 0; i < gradient.Length; i++)
            gradient[i] *= scale;
        return loss;
    }

    /// <summary>Class probabilities of one row (length <see cref="Classes"/>).</summary>
    public double[] Probabilities(ReadOnlySpan<double> parameters, ReadOnlySpan<double> row)
    {
        var activations = Activations();
        Forward(parameters, row, activations);
        var output = activations[^1];
        return Classes == 2 ? [1 - output[0], output[0]] : output.ToArray();
    }

    /// <summary>The cross-entropy of one row's probabilities against its label (clipped away from log 0).</summary>
    public static double CrossEntropy(ReadOnlySpan<double> probabilities, int label) =>
        -Math.Log(Math.Max(probabilities[label], 1e-15));

    private double[][] Activations() => _sizes.Select(s => new double[s]).ToArray();

    private void CheckParameters(ReadOnlySpan<double> parameters, ReadOnlySpan<double> gradient)
    {
        if (parameters.Length != ParameterCount)
            throw new ArgumentException($"parameters has {parameters.Length} entries, the network {ParameterCount}.", nameof(parameters));
        if (gradient.Length != ParameterCount)
            throw new ArgumentException($"gradient has {gradient.Length} entries, the network {ParameterCount}.", nameof(gradient));
    }

    private int Label(double value)
    {
        int label = (int)value;
        if (label != value || label < 0 || label >= Classes)
            throw new ArgumentException($"label {value} is not a class index 0…{Classes - 1}.");
        return label;
    }

    private void Forward(ReadOnlySpan<double> parameters, ReadOnlySpan<double> input, double[][] activations)
    {
        input.CopyTo(activations[0]);
        for (int l = 0; l < Layers; l++)
        {
            int inSize = _sizes[l], outSize = _sizes[l + 1];
            var weights = parameters.Slice(_offsets[l], outSize * inSize);
            var biases = parameters.Slice(_offsets[l] + outSize * inSize, outSize);
            var x = activations[l];
            var z = activations[l + 1];
            for (int o = 0; o < outSize; o++)
            {
                double sum = biases[o];
                var w = weights.Slice(o * inSize, inSize);
                for (int i = 0; i < inSize; i++)
                    sum += w[i] * x[i];
                z[o] = sum;
            }
            if (l < Layers - 1)
                for (int o = 0; o < outSize; o++)
                    z[o] = Math.Tanh(z[o]);
            else
                OutputActivation(z);
        }
    }

    private void OutputActivation(double[] z)
    {
        if (Classes == 2)
        {
            z[0] = Sigmoid(z[0]);
            return;
        }
        double max = z.Max(), sum = 0;   // shifted by the maximum so exp never overflows
        for (int k = 0; k < z.Length; k++)
            sum += z[k] = Math.Exp(z[k] - max);
        for (int k = 0; k < z.Length; k++)
            z[k] /= sum;
    }

    /// <summary>∂loss/∂z at the output (sigmoid or softmax with cross-entropy: p − onehot); returns the row's loss.</summary>
    private double OutputDelta(double[] output, int label, double[] delta)
    {
        if (Classes == 2)
        {
            delta[0] = output[0] - label;
            double p = label == 1 ? output[0] : 1 - output[0];
            return -Math.Log(Math.Max(p, 1e-15));
        }
        for (int k = 0; k < output.Length; k++)
            delta[k] = output[k] - (k == label ? 1 : 0);
        return CrossEntropy(output, label);
    }

    private void Backward(ReadOnlySpan<double> parameters, double[][] activations, double[][] deltas, Span<double> gradient)
    {
        for (int l = Layers - 1; l >= 0; l--)
        {
            int inSize = _sizes[l], outSize = _sizes[l + 1];
            var x = activations[l];
            var delta = deltas[l + 1];
            var gradWeights = gradient.Slice(_offsets[l], outSize * inSize);
            var gradBiases = gradient.Slice(_offsets[l] + outSize * inSize, outSize);
            for (int o = 0; o < outSize; o++)
            {
                gradBiases[o] += delta[o];
                var gw = gradWeights.Slice(o * inSize, inSize);
                for (int i = 0; i < inSize; i++)
                    gw[i] += delta[o] * x[i];
            }
            if (l == 0)
                break;
            var weights = parameters.Slice(_offsets[l], outSize * inSize);
            var previous = deltas[l];
            for (int i = 0; i < inSize; i++)
            {
                double sum = 0;
                for (int o = 0; o < outSize; o++)
                    sum += weights[o * inSize + i] * delta[o];
                previous[i] = sum * (1 - x[i] * x[i]);   // tanh' = 1 − tanh²
            }
        }
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}

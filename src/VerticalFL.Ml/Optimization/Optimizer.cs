namespace VerticalFL.Ml.Optimization;

/// <summary>
/// A first-order optimiser over one party's weight vector. Every rule here is coordinate-wise and
/// its update depends only on the gradient and its own state, so each party (or, in arbiter-steps
/// mode, the arbiter) can step its own block and the result equals stepping the joined vector.
/// </summary>
public abstract class Optimizer
{
    private protected const double Epsilon = 1e-8;
    private readonly double[][] _moments;

    private protected Optimizer(OptimizerKind kind, int size, int momentCount)
    {
        Kind = kind;
        _moments = Enumerable.Range(0, momentCount).Select(_ => new double[size]).ToArray();
    }

    public OptimizerKind Kind { get; }
    public int Size => _moments.Length == 0 ? -1 : _moments[0].Length;
    public long Steps { get; private set; }

    public static Optimizer Create(OptimizerKind kind, int size) => kind switch
    {
        OptimizerKind.Sgd => new Sgd(size),
        OptimizerKind.Momentum => new Momentum(size, nesterov: false),
        OptimizerKind.Nesterov => new Momentum(size, nesterov: true),
        OptimizerKind.Adagrad => new Adagrad(size),
        OptimizerKind.Rmsprop => new Rmsprop(size),
        OptimizerKind.Adam => new Adam(size),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown optimizer."),
    };

    public static Optimizer Restore(OptimizerState state, int size)
    {
        var optimizer = Create(state.Kind, size);
        if (state.Moments.Length != optimizer._moments.Length || state.Moments.Any(m => m.Length != size))
            throw new ArgumentException($"Optimizer state does not fit a {state.Kind} optimizer over {size} weights.", nameof(state));
        for (int i = 0; i < state.Moments.Length; i++)
            state.Moments[i].CopyTo(optimizer._moments[i], 0);
        optimizer.Steps = state.Steps;
        return optimizer;
    }

    public OptimizerState State => new(Kind, Steps, _moments.Select(m => (double[])m.Clone()).ToArray());

    /// <summary>The change to add to the weights for this gradient; advances the state.</summary>
    public double[] Update(ReadOnlySpan<double> gradient, double learningRate)
    {
        if (_moments.Length > 0 && gradient.Length != Size)
            throw new ArgumentException($"gradient has {gradient.Length} entries, the optimizer {Size}.", nameof(gradient));
        Steps++;
        var delta = new double[gradient.Length];
        for (int i = 0; i < gradient.Length; i++)
            delta[i] = Coordinate(i, gradient[i], learningRate);
        return delta;
    }

    /// <summary>Moment <paramref name="k"/> of the state (first, second, …).</summary>
    private protected double[] Moment(int k) => _moments[k];

    private protected abstract double Coordinate(int i, double g, double learningRate);

    private sealed class Sgd(int size) : Optimizer(OptimizerKind.Sgd, size, 0)
    {
        private protected override double Coordinate(int i, double g, double learningRate) => -learningRate * g;
    }

    /// <summary>Polyak momentum; the Nesterov variant in the form of Bengio et al. 2013 (no look-ahead evaluation needed).</summary>
    private sealed class Momentum(int size, bool nesterov)
        : Optimizer(nesterov ? OptimizerKind.Nesterov : OptimizerKind.Momentum, size, 1)
    {
        private const double Mu = 0.9;

        private protected override double Coordinate(int i, double g, double learningRate)
        {
            var v = Moment(0);
            double previous = v[i];
            v[i] = Mu * previous - learningRate * g;
            return nesterov ? -Mu * previous + (1 + Mu) * v[i] : v[i];
        }
    }

    /// <summary>Duchi, Hazan & Singer 2011.</summary>
    private sealed class Adagrad(int size) : Optimizer(OptimizerKind.Adagrad, size, 1)
    {
        private protected override double Coordinate(int i, double g, double learningRate)
        {
            var sum = Moment(0);
            sum[i] += g * g;
            return -learningRate * g / (Math.Sqrt(sum[i]) + Epsilon);
        }
    }

    /// <summary>Tieleman & Hinton 2012, decay 0.99.</summary>
    private sealed class Rmsprop(int size) : Optimizer(OptimizerKind.Rmsprop, size, 1)
    {
        private const double Rho = 0.99;

        private protected override double Coordinate(int i, double g, double learningRate)
        {
            var mean = Moment(0);
            mean[i] = Rho * mean[i] + (1 - Rho) * g * g;
            return -learningRate * g / (Math.Sqrt(mean[i]) + Epsilon);
        }
    }

    /// <summary>Kingma & Ba 2015 with bias correction, β₁ 0.9, β₂ 0.999.</summary>
    private sealed class Adam(int size) : Optimizer(OptimizerKind.Adam, size, 2)
    {
        private const double Beta1 = 0.9, Beta2 = 0.999;

        private protected override double Coordinate(int i, double g, double learningRate)
        {
            var m = Moment(0);
            var v = Moment(1);
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
            double mHat = m[i] / (1 - Math.Pow(Beta1, Steps));
            double vHat = v[i] / (1 - Math.Pow(Beta2, Steps));
            return -learningRate * mHat / (Math.Sqrt(vHat) + Epsilon);
        }
    }
}

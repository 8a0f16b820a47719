namespace VerticalFL.Ml.Optimization;

public enum OptimizerKind { Sgd, Momentum, Nesterov, Adagrad, Rmsprop, Adam }

public enum PenaltyKind { None, L1, L2 }

public enum DecayKind { Constant, Step, Linear, InverseSqrt }

public enum InitKind { Zeros, RandomUniform }

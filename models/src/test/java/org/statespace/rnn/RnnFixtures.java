package org.statespace.rnn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.data.Sequence;

/** Small networks and random sequences for the RNN tests. */
final class RnnFixtures {
    private RnnFixtures() {
    }

    static RnnModel model(int inputSize, Head head, List<Edge> edges, long seed, Layer... layers) {
        return RnnModel.initialized(RnnArchitecture.of(inputSize, List.of(layers), edges, head), seed);
    }

    /** The same network with every weight multiplied by {@code factor} (stronger nonlinearity). */
    static RnnModel scaled(RnnModel m, double factor) {
        double[] theta = m.parameters();
        for (int i = 0; i < theta.length; i++) {
            theta[i] *= factor;
        }
        return m.withParameters(theta);
    }

    /**
     * A random sequence the architecture accepts: symbols or standard normals, each step (or component)
     * missing with probability {@code missing}, and standard normal inputs when it takes any.
     */
    static Sequence sequence(RnnArchitecture a, String id, int length, RandomGenerator r, double missing) {
        Head head = a.head();
        int d = a.observationSpace().dimension();
        double[] obs = new double[length * d];
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < d; j++) {
                boolean gone = r.nextDouble() < missing;
                obs[t * d + j] = gone ? Double.NaN
                        : head.symbolic() ? r.nextInt(head.outputSize()) : r.nextGaussian();
            }
        }
        Sequence s = Sequence.of(id, d, obs);
        int p = a.observationSpace().inputDimension();
        if (p > 0) {
            double[] u = new double[length * p];
            for (int i = 0; i < u.length; i++) {
                u[i] = r.nextGaussian();
            }
            s = s.withInputs(p, u);
        }
        return s;
    }

    /** Sequences of the given lengths. */
    static List<Sequence> batch(RnnArchitecture a, RandomGenerator r, double missing, int... lengths) {
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            out.add(sequence(a, "s" + i, lengths[i], r, missing));
        }
        return out;
    }
}

package org.statespace.nonlinear;

import java.util.random.RandomGenerator;

import org.statespace.DataException;
import org.statespace.Emission;
import org.statespace.NumericalException;
import org.statespace.StateTransition;
import org.statespace.data.Sequence;
import org.statespace.distribution.Gaussian;
import org.statespace.distribution.Mixture;
import org.statespace.numeric.Cholesky;
import org.statespace.numeric.Randoms;
import org.statespace.numeric.SpecialFunctions;

/**
 * The bootstrap particle filter (Gordon, Salmond &amp; Smith 1993) of a {@link NonlinearSystem} as the
 * engine's f and g. N particles x_t^i with normalised weights W_t^i carry the belief:
 *
 * <pre>
 *   start    x_0^i ~ N(m0, P0),  W^i = 1/N
 *   predict  x_t^i = f(x_{t-1}^i, u_t) + w^i,  w^i ~ N(0, Q)            (the proposal is the transition)
 *   emit     p(y_t | y_0..y_{t-1}) ≈ Σ_i W^i N(y_t; h(x_t^i, u_t), R)      (a Gaussian mixture)
 *   correct  ℓ^i = log N(y_o; h(x_t^i)_o, R_oo),  log-likelihood += log Σ_i W^i exp(ℓ^i),
 *            W^i ∝ W^i exp(ℓ^i);  ESS = 1 / Σ (W^i)²;  if ESS &lt; threshold · N, systematic resampling
 *            (one uniform U: particle i is copied once per (U + j)/N, j = 0..N-1, in its cumulative weight)
 * </pre>
 *
 * The product of the increments Σ_i W^i exp(ℓ^i) is an unbiased estimate of the likelihood (Del Moral
 * 2004); its log is what the filter reports. A step with no observed component changes nothing but the
 * prediction. The generator of a sequence is {@link Randoms#stream}(seed, hash of its id), so a run is
 * reproducible and two runs with the same seed use the same random numbers (common random numbers: the
 * likelihood is a deterministic function of the parameters for an optimiser).
 *
 * <p>Immutable and thread-safe; each {@link Run} holds one run's particles.
 */
final class ParticleFilter implements StateTransition<ParticleFilter.Run>, Emission<ParticleFilter.Run, Mixture> {
    final NonlinearSystem system;
    final int count;
    final double threshold;
    final long seed;
    private final double[] processFactor;
    private final double[] initialFactor;
    private final int n;
    private final int m;

    ParticleFilter(NonlinearSystem system, int particles, double resampleThreshold, long seed) {
        this.system = system;
        this.count = particles;
        this.threshold = resampleThreshold;
        this.seed = seed;
        n = system.n;
        m = system.m;
        processFactor = Linear.semidefiniteFactor(system.processNoise, n);
        initialFactor = Linear.semidefiniteFactor(system.initialCovariance, n);
    }

    /** One run's particles, weights and generator. */
    static final class Run {
        double[] particles;          // swapped with spare by resampling, so spare keeps the predicted particles
        double[] spare;
        final double[] weights;
        final double[] predictedWeights; // the weights before the last correction
        final double[] logTerms;
        final double[] point;
        final double[] image;
        final double[] z;
        final double[] residual;
        final double[] lower;
        final double[] block;
        final int[] observed;
        RandomGenerator random;
        int step = -1;
        boolean corrected;
        double term;
        double logLikelihood;
        boolean resampled;

        Run(int count, int n, int m) {
            particles = new double[count * n];
            spare = new double[count * n];
            weights = new double[count];
            predictedWeights = new double[count];
            logTerms = new double[count];
            point = new double[n];
            image = new double[Math.max(n, m)];
            z = new double[Math.max(n, m)];
            residual = new double[m];
            lower = new double[m * m];
            block = new double[m * m];
            observed = new int[m];
        }

        /** The particles of the last correction's prediction (before it resampled, if it did). */
        double[] predictedParticles() {
            return resampled ? spare : particles;
        }

        /** The step whose particles these are. */
        int step() {
            return step;
        }
    }

    @Override
    public Run newState() {
        return new Run(count, n, m);
    }

    @Override
    public void start(Run run, Sequence sequence) {
        if (sequence.dimension() != m) {
            throw new DataException("sequence '" + sequence.id() + "' has " + sequence.dimension()
                    + "-dimensional observations; the model needs " + m);
        }
        run.random = Randoms.stream(seed, sequence.id().hashCode());
        for (int i = 0; i < count; i++) {
            Linear.gaussian(system.initialMean, initialFactor, n, run.random, run.z, run.point);
            System.arraycopy(run.point, 0, run.particles, i * n, n);
            run.weights[i] = 1.0 / count;
        }
        run.step = 0;
        run.corrected = false;
        run.logLikelihood = 0;
    }

    @Override
    public void step(Run run, Sequence sequence, int t) {
        if (!run.corrected) {
            correct(run, sequence, t - 1);
        }
        for (int i = 0; i < count; i++) {
            System.arraycopy(run.particles, i * n, run.point, 0, n);
            system.transition.value(run.point, sequence, t, run.image);
            Linear.gaussian(run.image, processFactor, n, run.random, run.z, run.point);
            System.arraycopy(run.point, 0, run.particles, i * n, n);
        }
        run.step = t;
        run.corrected = false;
    }

    @Override
    public Mixture newDistribution() {
        Gaussian[] components = new Gaussian[count];
        for (int i = 0; i < count; i++) {
            components[i] = new Gaussian(m);
        }
        return new Mixture(components);
    }

    /** The mixture Σ_i W^i N(h(x_t^i, u_t), R) of the predicted particles. */
    @Override
    public void predict(Run run, Sequence sequence, int t, Mixture out) {
        double[] r = system.observationNoise;
        for (int i = 0; i < count; i++) {
            System.arraycopy(run.particles, i * n, run.point, 0, n);
            system.observation.value(run.point, sequence, t, run.image);
            Gaussian g = (Gaussian) out.component(i);
            if (m == 1) {
                g.setUnivariate(run.image[0], r[0]);
            } else {
                g.set(run.image, 0, r);
            }
        }
        out.setWeights(run.weights, 0);
    }

    @Override
    public double logDensity(Run run, Mixture predicted, Sequence sequence, int t) {
        if (!run.corrected) {
            run.term = correct(run, sequence, t);
        }
        return run.term;
    }

    /**
     * Reweights the predicted particles of step t by o_t (and resamples when the ESS is low); returns the
     * log-likelihood increment.
     */
    double correct(Run run, Sequence sequence, int t) {
        run.corrected = true;
        run.resampled = false;
        System.arraycopy(run.weights, 0, run.predictedWeights, 0, count);
        int k = 0;
        for (int j = 0; j < m; j++) {
            if (!Double.isNaN(sequence.value(t, j))) {
                run.observed[k++] = j;
            }
        }
        if (k == 0) {
            run.term = 0;
            return 0;
        }
        double[] r = system.observationNoise;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                run.block[a * k + b] = r[run.observed[a] * m + run.observed[b]];
            }
        }
        Cholesky.factor(run.block, k, run.lower);
        double constant = -0.5 * (k * SpecialFunctions.LOG_2PI + Cholesky.logDeterminant(run.lower, k));
        for (int i = 0; i < count; i++) {
            System.arraycopy(run.particles, i * n, run.point, 0, n);
            system.observation.value(run.point, sequence, t, run.image);
            for (int a = 0; a < k; a++) {
                run.residual[a] = sequence.value(t, run.observed[a]) - run.image[run.observed[a]];
            }
            Cholesky.solveLower(run.lower, k, run.residual);
            double q = 0;
            for (int a = 0; a < k; a++) {
                q += run.residual[a] * run.residual[a];
            }
            double w = run.weights[i];
            run.logTerms[i] = w > 0 ? Math.log(w) + constant - 0.5 * q : Double.NEGATIVE_INFINITY;
        }
        double term = SpecialFunctions.logSumExp(run.logTerms);
        if (!Double.isFinite(term)) {
            throw new NumericalException("sequence '" + sequence.id() + "', step " + t + ": every particle gives the "
                    + "observation a density that underflows (log-likelihood increment " + term
                    + "); more particles or a larger observation noise may help");
        }
        double squares = 0;
        for (int i = 0; i < count; i++) {
            double w = Math.exp(run.logTerms[i] - term);
            run.weights[i] = w;
            squares += w * w;
        }
        if (1 / squares < threshold * count) {
            resample(run);
        }
        run.term = term;
        run.logLikelihood += term;
        return term;
    }

    // systematic resampling into the spare buffer, which then becomes the particles (the predicted ones the spare)
    private void resample(Run run) {
        double u = run.random.nextDouble() / count;
        double cumulative = run.weights[0];
        int i = 0;
        for (int j = 0; j < count; j++) {
            double target = u + (double) j / count;
            while (cumulative < target && i < count - 1) {
                i++;
                cumulative += run.weights[i];
            }
            System.arraycopy(run.particles, i * n, run.spare, j * n, n);
        }
        double[] predicted = run.particles; // kept (as spare) for predictedParticles
        run.particles = run.spare;
        run.spare = predicted;
        java.util.Arrays.fill(run.weights, 1.0 / count);
        run.resampled = true;
    }

    /** Σ log p(o_t | past) estimated over the whole sequence. */
    double logLikelihood(Sequence sequence) {
        Run run = newState();
        start(run, sequence);
        for (int t = 0; t < sequence.length(); t++) {
            if (t > 0) {
                step(run, sequence, t);
            }
            correct(run, sequence, t);
        }
        return run.logLikelihood;
    }
}

package org.statespace.nonlinear;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.statespace.NumericalException;
import org.statespace.capability.StateRecording;
import org.statespace.capability.Track;
import org.statespace.data.Sequence;
import org.statespace.kalman.ConventionalKalmanFilter;
import org.statespace.kalman.FilterState;
import org.statespace.kalman.GaussianStateSpace;
import org.statespace.numeric.Cholesky;
import org.statespace.numeric.Randoms;

/**
 * Forward passes and smoothers of the non-linear filters.
 * <ul>
 *   <li>Gaussian (extended, unscented): the {@link ConventionalKalmanFilter} over the model's state space,
 *       storing predicted and filtered moments and D_t = Cov[x_{t-1}, x_t | y_0..y_{t-1}] (n×n): P_{t-1|t-1} Fᵀ
 *       for the extended filter, Σ W_i^c (χ_i − a_{t-1|t-1})(Y_i − a_t)ᵀ for the unscented one. The backward
 *       pass is the Rauch-Tung-Striebel recursion in the form of Särkkä (2013, alg. 9.3 and 9.6):
 *       G_t = D_{t+1} P_{t+1}⁻¹ (solved with the Cholesky factor of the predicted P_{t+1}, never inverted),
 *       m^s_t = m_t|t + G_t (m^s_{t+1} − a_{t+1}),  P^s_t = P_t|t + G_t (P^s_{t+1} − P_{t+1}) G_tᵀ.</li>
 *   <li>Particle: forward-filter backward-simulation (Godsill, Doucet &amp; West 2004): the filtered particles
 *       and weights of every step are kept; each of the draws picks x_{T-1} by the last weights, then
 *       x_t among the particles of step t with weights ∝ W_t^i N(x_{t+1}; f(x_t^i, u_{t+1}), Q); the smoothed
 *       means and covariances are those of the draws.</li>
 * </ul>
 */
final class Smoothers {
    private Smoothers() {
    }

    /** What a Gaussian forward pass keeps (packed T×n, T×n×n). */
    static final class GaussianPass {
        final int length;
        final int n;
        final double[] predictedMeans;
        final double[] predictedCovariances;
        final double[] filteredMeans;
        final double[] filteredCovariances;
        final double[] cross;
        final double[] terms;
        double logLikelihood;

        GaussianPass(int length, int n) {
            this(length, n, true);
        }

        /** With {@code cross} false, no D_t (a pass for the filtered moments only, which the smoother cannot use). */
        GaussianPass(int length, int n, boolean cross) {
            this.length = length;
            this.n = n;
            predictedMeans = new double[length * n];
            predictedCovariances = new double[length * n * n];
            filteredMeans = new double[length * n];
            filteredCovariances = new double[length * n * n];
            this.cross = cross ? new double[length * n * n] : null;
            terms = new double[length];
        }
    }

    static GaussianPass gaussianPass(GaussianStateSpace space, Sequence sequence) {
        int length = sequence.length();
        int n = space.stateDimension();
        GaussianPass pass = new GaussianPass(length, n);
        GaussianForward forward = new GaussianForward(space);
        for (int t = 0; t < length; t++) {
            forward.step(sequence, t);
            if (t > 0) {
                System.arraycopy(forward.cross, 0, pass.cross, t * n * n, n * n);
            }
            System.arraycopy(forward.predictedMean, 0, pass.predictedMeans, t * n, n);
            System.arraycopy(forward.predictedCovariance, 0, pass.predictedCovariances, t * n * n, n * n);
            System.arraycopy(forward.state.mean(), 0, pass.filteredMeans, t * n, n);
            System.arraycopy(forward.state.covariance(), 0, pass.filteredCovariances, t * n * n, n * n);
            pass.terms[t] = forward.term;
        }
        pass.logLikelihood = forward.state.logLikelihood();
        return pass;
    }

    /**
     * One step of the extended or unscented filter with what the smoother needs of it: the kernel of
     * {@link #gaussianPass} (the whole sequence in memory) and of {@link SpilledNonlinear} (a step at a time, spilled
     * to disk). After {@link #step step(t)}: D_t in {@link #cross} (t &gt; 0), a_t and P_t in {@link #predictedMean}
     * and {@link #predictedCovariance}, the log-likelihood term in {@link #term}, and the filtered moments in the
     * filter's {@link #state}.
     */
    static final class GaussianForward {
        private final GaussianStateSpace space;
        private final int n;
        private final ConventionalKalmanFilter filter;
        final FilterState state;
        private final double[] scratchMean;
        private final double[] scratchCov;
        private final double[] jac;
        final double[] cross;
        final double[] predictedMean;
        final double[] predictedCovariance;
        double term;

        GaussianForward(GaussianStateSpace space) {
            this.space = space;
            n = space.stateDimension();
            filter = new ConventionalKalmanFilter(space);
            state = filter.newState();
            filter.start(state);
            scratchMean = new double[n];
            scratchCov = new double[n * n];
            jac = new double[n * n];
            cross = new double[n * n];
            predictedMean = new double[n];
            predictedCovariance = new double[n * n];
        }

        /** Step t of {@code sequence} (steps 0 .. t-1 done before, in order). */
        void step(Sequence sequence, int t) {
            if (t > 0) {
                double[] mf = state.mean();
                double[] pf = state.covariance();
                double[] d = cross;
                if (space instanceof UnscentedStateSpace u) {
                    u.propagateWithCross(mf, pf, sequence, t, scratchMean, scratchCov, d);
                } else {
                    ((ExtendedStateSpace) space).transitionJacobian(mf, sequence, t, jac);
                    // D = P F^T
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = 0;
                            for (int a = 0; a < n; a++) {
                                s += pf[i * n + a] * jac[j * n + a];
                            }
                            d[i * n + j] = s;
                        }
                    }
                }
                filter.predict(state, sequence, t);
            }
            System.arraycopy(state.mean(), 0, predictedMean, 0, n);
            System.arraycopy(state.covariance(), 0, predictedCovariance, 0, n * n);
            term = filter.correct(state, sequence, t);
        }
    }

    static NonlinearStates gaussianFiltered(GaussianPass p) {
        return filtered(p.length, p.n, p.logLikelihood, p.predictedMeans, p.predictedCovariances, p.filteredMeans,
                p.filteredCovariances, p.terms, null);
    }

    /** The filtered tracks of a pass (packed T×n, T×n×n), with the particle filter's ESS when it has them. */
    private static NonlinearStates filtered(int length, int n, double logLikelihood, double[] predictedMeans,
            double[] predictedCovariances, double[] filteredMeans, double[] filteredCovariances, double[] terms,
            double[] effectiveSizes) {
        List<Track> tracks = new ArrayList<>(List.of(
                new Track("predictedMeans", length, new int[] {n}, predictedMeans),
                new Track("predictedCovariances", length, new int[] {n, n}, predictedCovariances),
                new Track("filteredMeans", length, new int[] {n}, filteredMeans),
                new Track("filteredCovariances", length, new int[] {n, n}, filteredCovariances),
                new Track("logLikelihoodTerms", length, new int[0], terms)));
        if (effectiveSizes != null) {
            tracks.add(new Track("effectiveSampleSizes", length, new int[0], effectiveSizes));
        }
        return new NonlinearStates(length, logLikelihood, tracks);
    }

    /**
     * The engine's pass of an extended or unscented filter recorded step by step ({@link #gaussianSteps}): the
     * numbers {@link #gaussianPass} keeps.
     */
    static StateRecording.StateRecorder<Object> gaussianRecorder(int n, Sequence sequence) {
        GaussianPass pass = new GaussianPass(sequence.length(), n, false);
        StateRecording.StepRecorder<Object> steps = gaussianSteps(n);
        double[][] arrays = {pass.predictedMeans, pass.predictedCovariances, pass.filteredMeans,
            pass.filteredCovariances, pass.terms};
        return new StateRecording.StateRecorder<>() {
            @Override
            public void record(int t, Object state) {
                steps.record(sequence, t, state, arrays, t);
            }

            @Override
            public org.statespace.capability.StateEstimates estimates(double logLikelihood) {
                pass.logLikelihood = logLikelihood;
                return gaussianFiltered(pass);
            }
        };
    }

    /** The tracks of {@link #filtered}, in its order: with the effective sample sizes for the particle filter. */
    private static List<StateRecording.TrackShape> filteredTracks(int n, boolean particle) {
        List<StateRecording.TrackShape> tracks = new ArrayList<>(List.of(
                new StateRecording.TrackShape("predictedMeans", new int[] {n}),
                new StateRecording.TrackShape("predictedCovariances", new int[] {n, n}),
                new StateRecording.TrackShape("filteredMeans", new int[] {n}),
                new StateRecording.TrackShape("filteredCovariances", new int[] {n, n}),
                new StateRecording.TrackShape("logLikelihoodTerms", new int[0])));
        if (particle) {
            tracks.add(new StateRecording.TrackShape("effectiveSampleSizes", new int[0]));
        }
        return List.copyOf(tracks);
    }

    /**
     * One step of an extended or unscented filter's pass: after step t is scored the run holds a_t, P_t and the
     * term ({@link GaussianRecurrence.Run}) and the filtered moments.
     */
    static StateRecording.StepRecorder<Object> gaussianSteps(int n) {
        List<StateRecording.TrackShape> tracks = filteredTracks(n, false);
        return new StateRecording.StepRecorder<>() {
            @Override
            public List<StateRecording.TrackShape> tracks() {
                return tracks;
            }

            @Override
            public void record(Sequence window, int t, Object state, double[][] blocks, int row) {
                GaussianRecurrence.Run run = (GaussianRecurrence.Run) state;
                FilterState s = run.filter.state();
                System.arraycopy(run.predictedMean, 0, blocks[0], row * n, n);
                System.arraycopy(run.predictedCovariance, 0, blocks[1], row * n * n, n * n);
                for (int i = 0; i < n; i++) {
                    blocks[2][row * n + i] = s.mean(i);
                    for (int j = 0; j < n; j++) {
                        blocks[3][row * n * n + i * n + j] = s.covariance(i, j);
                    }
                }
                blocks[4][row] = run.term;
            }
        };
    }

    /** The engine's pass of the particle filter recorded step by step ({@link #particleSteps}). */
    static StateRecording.StateRecorder<Object> particleRecorder(int n, Sequence sequence) {
        int length = sequence.length();
        StateRecording.StepRecorder<Object> steps = particleSteps(n);
        double[][] a = StateRecording.allocate(steps.tracks(), length);
        return new StateRecording.StateRecorder<>() {
            @Override
            public void record(int t, Object state) {
                steps.record(sequence, t, state, a, t);
            }

            @Override
            public org.statespace.capability.StateEstimates estimates(double logLikelihood) {
                return filtered(length, n, logLikelihood, a[0], a[1], a[2], a[3], a[4], a[5]);
            }
        };
    }

    /**
     * One step of the particle filter: after step t is scored the run holds the predicted particles and weights
     * ({@link ParticleFilter.Run#predictedParticles()}) and the corrected ones, whose moments are those
     * {@link #particlePass} takes.
     */
    static StateRecording.StepRecorder<Object> particleSteps(int n) {
        List<StateRecording.TrackShape> tracks = filteredTracks(n, true);
        return new StateRecording.StepRecorder<>() {
            @Override
            public List<StateRecording.TrackShape> tracks() {
                return tracks;
            }

            @Override
            public void record(Sequence window, int t, Object state, double[][] blocks, int row) {
                ParticleFilter.Run run = (ParticleFilter.Run) state;
                moments(run.predictedParticles(), run.predictedWeights, n, blocks[0], blocks[1], row);
                blocks[4][row] = run.term;
                moments(run.particles, run.weights, n, blocks[2], blocks[3], row);
                blocks[5][row] = effectiveSize(run.weights);
            }
        };
    }

    private static double effectiveSize(double[] weights) {
        double squares = 0;
        for (double w : weights) {
            squares += w * w;
        }
        return 1 / squares;
    }

    /** The RTS backward pass over a Gaussian forward pass. */
    static NonlinearStates rts(GaussianPass p, String sequenceId) {
        int n = p.n;
        int length = p.length;
        double[] ms = new double[length * n];
        double[] ps = new double[length * n * n];
        rtsMoments(p, sequenceId, ms, ps, null);
        return new NonlinearStates(length, p.logLikelihood, List.of(
                new Track("smoothedMeans", length, new int[] {n}, ms),
                new Track("smoothedCovariances", length, new int[] {n, n}, ps)));
    }

    /**
     * The RTS backward pass into {@code ms} (T×n) and {@code ps} (T×n×n), and with {@code cross} non-null the
     * lag-one smoothed cross covariances C_t = Cov[x_t, x_{t-1} | y] = P^s_t G_{t-1}ᵀ (T×n×n, step 0 left 0),
     * which EM needs ({@link GaussianEm}).
     */
    static void rtsMoments(GaussianPass p, String sequenceId, double[] ms, double[] ps, double[] cross) {
        int n = p.n;
        int nn = n * n;
        int length = p.length;
        RtsStep k = new RtsStep(n);
        if (length > 0) {
            int last = length - 1;
            System.arraycopy(p.filteredMeans, last * n, ms, last * n, n);
            System.arraycopy(p.filteredCovariances, last * nn, ps, last * nn, nn);
            System.arraycopy(p.filteredMeans, last * n, k.nextMean, 0, n);
            System.arraycopy(p.filteredCovariances, last * nn, k.nextCovariance, 0, nn);
        }
        for (int t = length - 2; t >= 0; t--) {
            System.arraycopy(p.filteredMeans, t * n, k.filteredMean, 0, n);
            System.arraycopy(p.filteredCovariances, t * nn, k.filteredCovariance, 0, nn);
            System.arraycopy(p.predictedMeans, (t + 1) * n, k.nextPredictedMean, 0, n);
            System.arraycopy(p.predictedCovariances, (t + 1) * nn, k.nextPredictedCovariance, 0, nn);
            System.arraycopy(p.cross, (t + 1) * nn, k.nextCross, 0, nn);
            k.step(sequenceId, t, cross != null);
            System.arraycopy(k.mean, 0, ms, t * n, n);
            System.arraycopy(k.covariance, 0, ps, t * nn, nn);
            if (cross != null) {
                System.arraycopy(k.lag, 0, cross, (t + 1) * nn, nn);
            }
            k.advance();
        }
    }

    /**
     * One step t of the RTS backward pass, the kernel of {@link #rtsMoments} (the whole pass in memory) and of
     * {@link SpilledNonlinear} (read back from disk): from step t's filtered moments, step t+1's a_{t+1},
     * P_{t+1}, D_{t+1} and smoothed moments, the smoothed m^s_t and P^s_t, and when asked the lag-one
     * C_{t+1} = P^s_{t+1} G_tᵀ. {@link #advance} makes the smoothed moments of step t those of the next step down.
     */
    static final class RtsStep {
        private final int n;
        final double[] filteredMean;
        final double[] filteredCovariance;
        final double[] nextPredictedMean;
        final double[] nextPredictedCovariance;
        final double[] nextCross;
        final double[] nextMean;
        final double[] nextCovariance;
        final double[] mean;
        final double[] covariance;
        final double[] lag;
        private final double[] lower;
        private final double[] gainT;
        private final double[] diff;
        private final double[] covDiff;
        private final double[] tmp;
        private final double[] col;

        RtsStep(int n) {
            this.n = n;
            int nn = n * n;
            filteredMean = new double[n];
            filteredCovariance = new double[nn];
            nextPredictedMean = new double[n];
            nextPredictedCovariance = new double[nn];
            nextCross = new double[nn];
            nextMean = new double[n];
            nextCovariance = new double[nn];
            mean = new double[n];
            covariance = new double[nn];
            lag = new double[nn];
            lower = new double[nn];
            gainT = new double[nn];
            diff = new double[n];
            covDiff = new double[nn];
            tmp = new double[nn];
            col = new double[n];
        }

        /** m^s_t, P^s_t (and C_{t+1} into {@link #lag} when {@code lagged}) from the inputs. */
        void step(String sequenceId, int t, boolean lagged) {
            try {
                Cholesky.factor(nextPredictedCovariance, n, lower);
            } catch (NumericalException e) {
                throw new NumericalException("sequence '" + sequenceId + "', step " + (t + 1)
                        + ": the predicted covariance is not positive definite, so the smoother gain cannot be solved ("
                        + e.getMessage() + ")");
            }
            // Gᵀ = P⁻¹ Dᵀ, column c of Gᵀ = P⁻¹ (row c of D)
            for (int c = 0; c < n; c++) {
                for (int r = 0; r < n; r++) {
                    col[r] = nextCross[c * n + r];
                }
                Cholesky.solve(lower, n, col);
                for (int r = 0; r < n; r++) {
                    gainT[r * n + c] = col[r];
                }
            }
            // G = (Gᵀ)ᵀ: G_ij = gainT[j][i]
            for (int i = 0; i < n; i++) {
                diff[i] = nextMean[i] - nextPredictedMean[i];
            }
            for (int i = 0; i < n; i++) {
                double s = filteredMean[i];
                for (int j = 0; j < n; j++) {
                    s += gainT[j * n + i] * diff[j];
                }
                mean[i] = s;
            }
            for (int k = 0; k < n * n; k++) {
                covDiff[k] = nextCovariance[k] - nextPredictedCovariance[k];
            }
            // tmp = G covDiff
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int a = 0; a < n; a++) {
                        s += gainT[a * n + i] * covDiff[a * n + j];
                    }
                    tmp[i * n + j] = s;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double s = filteredCovariance[i * n + j];
                    for (int a = 0; a < n; a++) {
                        s += tmp[i * n + a] * gainT[a * n + j];
                    }
                    covariance[i * n + j] = s;
                    covariance[j * n + i] = s;
                }
            }
            if (lagged) {
                // C_{t+1} = P^s_{t+1} Gᵀ
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int a = 0; a < n; a++) {
                            s += nextCovariance[i * n + a] * gainT[a * n + j];
                        }
                        lag[i * n + j] = s;
                    }
                }
            }
        }

        /** Step t's smoothed moments become the next step's for step t-1. */
        void advance() {
            System.arraycopy(mean, 0, nextMean, 0, n);
            System.arraycopy(covariance, 0, nextCovariance, 0, n * n);
        }
    }

    /** What a particle forward pass keeps: the filtered particles and weights of every step. */
    static final class ParticlePass {
        final int length;
        final double[][] particles;
        final double[][] weights;
        final double[] predictedMeans;
        final double[] predictedCovariances;
        final double[] filteredMeans;
        final double[] filteredCovariances;
        final double[] terms;
        final double[] effectiveSizes;
        double logLikelihood;

        ParticlePass(int length, int n) {
            this.length = length;
            particles = new double[length][];
            weights = new double[length][];
            predictedMeans = new double[length * n];
            predictedCovariances = new double[length * n * n];
            filteredMeans = new double[length * n];
            filteredCovariances = new double[length * n * n];
            terms = new double[length];
            effectiveSizes = new double[length];
        }
    }

    static ParticlePass particlePass(ParticleFilter pf, Sequence sequence) {
        int n = pf.system.n;
        int length = sequence.length();
        ParticlePass pass = new ParticlePass(length, n);
        ParticleFilter.Run run = pf.newState();
        pf.start(run, sequence);
        for (int t = 0; t < length; t++) {
            if (t > 0) {
                pf.step(run, sequence, t);
            }
            moments(run.particles, run.weights, n, pass.predictedMeans, pass.predictedCovariances, t);
            pass.terms[t] = pf.correct(run, sequence, t);
            moments(run.particles, run.weights, n, pass.filteredMeans, pass.filteredCovariances, t);
            pass.effectiveSizes[t] = effectiveSize(run.weights);
            pass.particles[t] = run.particles.clone();
            pass.weights[t] = run.weights.clone();
        }
        pass.logLikelihood = run.logLikelihood;
        return pass;
    }

    // the weighted mean and covariance of the particles into step t of the packed arrays
    static void moments(double[] x, double[] w, int n, double[] means, double[] covs, int t) {
        int count = w.length;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < count; k++) {
                s += w[k] * x[k * n + i];
            }
            means[t * n + i] = s;
        }
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int k = 0; k < count; k++) {
                    s += w[k] * (x[k * n + i] - means[t * n + i]) * (x[k * n + j] - means[t * n + j]);
                }
                covs[t * n * n + i * n + j] = s;
                covs[t * n * n + j * n + i] = s;
            }
        }
    }

    static NonlinearStates particleFiltered(ParticlePass p, int n) {
        return filtered(p.length, n, p.logLikelihood, p.predictedMeans, p.predictedCovariances, p.filteredMeans,
                p.filteredCovariances, p.terms, p.effectiveSizes);
    }

    /** Forward-filter backward-simulation: {@code draws} smoothed trajectories, summarised by their moments. */
    static NonlinearStates backwardSimulation(ParticleFilter pf, ParticlePass p, Sequence sequence, int draws) {
        int n = pf.system.n;
        int length = p.length;
        BackwardSimulation b = new BackwardSimulation(pf, sequence.id(), draws);
        double[] means = new double[length * n];
        double[] covs = new double[length * n * n];
        if (length > 0) {
            b.last(p.particles[length - 1], p.weights[length - 1]);
            b.moments(means, (length - 1) * n, covs, (length - 1) * n * n);
        }
        for (int t = length - 2; t >= 0; t--) {
            b.step(p.particles[t], p.weights[t], sequence, t);
            b.moments(means, t * n, covs, t * n * n);
        }
        List<Track> tracks = new ArrayList<>();
        tracks.add(new Track("smoothedMeans", length, new int[] {n}, means));
        tracks.add(new Track("smoothedCovariances", length, new int[] {n, n}, covs));
        return new NonlinearStates(length, p.logLikelihood, tracks);
    }

    /**
     * Backward simulation one step at a time, the kernel of {@link #backwardSimulation} (the particles of every step
     * in memory) and of {@link SpilledNonlinear} (read back from disk): each draw's state at the step last drawn,
     * the draws of a sequence from one generator ({@link Randoms#stream} of the filter's seed mixed with 1 and the
     * hash of the sequence's id) used in the same order either way, so both give the same trajectories.
     */
    static final class BackwardSimulation {
        private final NonlinearSystem system;
        private final int n;
        private final int count;
        private final int draws;
        private final RandomGenerator random;
        private final double[] current; // draws×n: each draw's state at the step last drawn
        private final double[] lq;
        private final double[] images;
        private final double[] point;
        private final double[] image;
        private final double[] logW;
        private final double[] prob;
        private final double[] r;

        BackwardSimulation(ParticleFilter pf, String sequenceId, int draws) {
            system = pf.system;
            n = system.n;
            count = pf.count;
            this.draws = draws;
            random = Randoms.stream(Randoms.mix(pf.seed, 1), sequenceId.hashCode());
            current = new double[draws * n];
            lq = new double[n * n];
            Cholesky.factor(system.processNoise, n, lq);
            images = new double[count * n];
            point = new double[n];
            image = new double[n];
            logW = new double[count];
            prob = new double[count];
            r = new double[n];
        }

        /** Each draw's x_{T-1} among the last step's particles by their weights. */
        void last(double[] particles, double[] weights) {
            for (int d = 0; d < draws; d++) {
                int index = Randoms.categorical(weights, 0, count, random);
                System.arraycopy(particles, index * n, current, d * n, n);
            }
        }

        /**
         * Each draw's x_t among step t's particles {@code x} with weights ∝ W_t^i N(x_{t+1}; f(x_t^i, u_{t+1}), Q);
         * {@code sequence} holds step t+1 (its index in the whole sequence).
         */
        void step(double[] x, double[] weights, Sequence sequence, int t) {
            for (int i = 0; i < count; i++) {
                System.arraycopy(x, i * n, point, 0, n);
                system.transition.value(point, sequence, t + 1, image);
                System.arraycopy(image, 0, images, i * n, n);
            }
            for (int d = 0; d < draws; d++) {
                int nextOffset = d * n;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < count; i++) {
                    double w = weights[i];
                    if (!(w > 0)) {
                        logW[i] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    for (int a = 0; a < n; a++) {
                        r[a] = current[nextOffset + a] - images[i * n + a];
                    }
                    Cholesky.solveLower(lq, n, r);
                    double q = 0;
                    for (int a = 0; a < n; a++) {
                        q += r[a] * r[a];
                    }
                    logW[i] = Math.log(w) - 0.5 * q;
                    max = Math.max(max, logW[i]);
                }
                double sum = 0;
                for (int i = 0; i < count; i++) {
                    prob[i] = Math.exp(logW[i] - max);
                    sum += prob[i];
                }
                for (int i = 0; i < count; i++) {
                    prob[i] /= sum;
                }
                int chosen = Randoms.categorical(prob, 0, count, random);
                System.arraycopy(x, chosen * n, current, d * n, n);
            }
        }

        /** The mean (n) and covariance (n×n) of the draws' states at the step last drawn into the arrays. */
        void moments(double[] means, int meanAt, double[] covs, int covAt) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int d = 0; d < draws; d++) {
                    s += current[d * n + i];
                }
                means[meanAt + i] = s / draws;
            }
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double s = 0;
                    for (int d = 0; d < draws; d++) {
                        s += (current[d * n + i] - means[meanAt + i]) * (current[d * n + j] - means[meanAt + j]);
                    }
                    covs[covAt + i * n + j] = s / draws;
                    covs[covAt + j * n + i] = s / draws;
                }
            }
        }
    }
}

package org.statespace.inference;

import java.util.List;

import org.statespace.NumericalException;
import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.capability.ExpectationMaximization;
import org.statespace.capability.FitSettings;
import org.statespace.capability.SufficientStatistics;
import org.statespace.data.Sequence;

/**
 * Online (stepwise) EM: parameters updated as batches of sequences, or chunks of a long one, arrive
 * (Cappé &amp; Moulines 2009, "On-line expectation-maximization algorithm for latent data models"; Liang &amp;
 * Klein 2009, "Online EM for unsupervised models"). For the update after k earlier ones, with
 * &#349;_k the expected sufficient statistics of its batch under the current parameters,
 *
 * <pre>
 *   s  &larr; (1 &minus; η_k) s + η_k (N / n_k) &#349;_k,     η_k = (k + t0)^&minus;α,  α ∈ (0.5, 1]
 *   θ  &larr; M(s)                                     (once the warm-up updates are gathered)
 * </pre>
 *
 * where n_k is the number of steps in the batch and N a reference size (the whole training data's steps
 * in {@link Trainer}), so s estimates the statistics of N steps and a prior or pseudo-count of the family's
 * settings weighs against them as in batch EM. The first update takes its batch's statistics as they are.
 * The E-step and the M-step are the family's own ({@link ExpectationMaximization}); statistics taken about a
 * reference point of the model (Gaussian moments about the current means) are moved to the newest one
 * by {@link SufficientStatistics#blend}. Each piece of a batch is one sequence to the E-step, starting from
 * the model's initial distribution, so with chunks of a long series the method maximises the likelihood
 * of the chunks, which differs from the whole series' by boundary terms of order 1/chunk length per step.
 *
 * <p>With η = 1, one batch holding all the data and no warm-up, one update is exactly one batch EM iteration.
 * Not thread-safe; E-steps of a batch's pieces run in parallel and are merged in order, so results do not
 * depend on the thread count.
 */
public final class OnlineExpectationMaximization {
    private final TrainOptions.OnlineEm schedule;
    private final FitSettings settings;
    private final double referenceSteps;
    private final int threads;
    private StateSpaceModel<?, ?> model;
    private SufficientStatistics running;
    private long updates;

    private OnlineExpectationMaximization(StateSpaceModel<?, ?> model, TrainOptions.OnlineEm schedule,
            FitSettings settings, double referenceSteps, int threads) {
        if (!(model instanceof ExpectationMaximization em) || !em.newStatistics().blendable()) {
            throw new SpecException("", "fit.method", "a " + model.type() + " model cannot be fitted by online-em: "
                    + "it has no expected sufficient statistics (online EM runs on the models EM fits: HMM, "
                    + "explicit-duration HMM, linear-Gaussian)");
        }
        if (!(referenceSteps > 0) || Double.isInfinite(referenceSteps)) {
            throw new IllegalArgumentException("referenceSteps must be positive, got " + referenceSteps);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.model = model;
        this.schedule = schedule;
        this.settings = settings;
        this.referenceSteps = referenceSteps;
        this.threads = threads;
        this.running = em.newStatistics();
    }

    /**
     * Online EM from {@code start}.
     *
     * @param referenceSteps N: the running statistics estimate those of this many steps (the data's size for
     *                       a fit over a data set; the expected size of the stream otherwise)
     */
    public static OnlineExpectationMaximization start(StateSpaceModel<?, ?> start, TrainOptions.OnlineEm schedule,
            FitSettings settings, double referenceSteps, int threads) {
        return new OnlineExpectationMaximization(start, schedule, settings, referenceSteps, threads);
    }

    /** Online EM continued from a state {@link #statistics()} and {@link #updates()} gave (a checkpoint). */
    static OnlineExpectationMaximization restore(StateSpaceModel<?, ?> model, TrainOptions.OnlineEm schedule,
            FitSettings settings, double referenceSteps, int threads, long updates, double[] statistics) {
        OnlineExpectationMaximization o = new OnlineExpectationMaximization(model, schedule, settings, referenceSteps,
                threads);
        o.running.setFrom(statistics);
        o.updates = updates;
        return o;
    }

    /**
     * One update: the E-step of every piece of {@code batch} under the current model, the blend into the running
     * statistics, and the M-step unless still warming up.
     *
     * @return the batch's log-likelihood under the model before the update
     * @throws NumericalException if that log-likelihood is not finite
     */
    public double update(List<Sequence> batch) {
        long steps = 0;
        for (Sequence s : batch) {
            steps += s.length();
        }
        if (steps == 0) {
            throw new IllegalArgumentException("an online EM update needs at least one step");
        }
        ExpectationMaximization em = (ExpectationMaximization) model;
        SufficientStatistics statistics = EmLoop.expectation(em, batch, threads);
        double ll = statistics.logLikelihood();
        if (!Double.isFinite(ll)) {
            throw new NumericalException("online EM update " + (updates + 1) + ": the log-likelihood of its batch ("
                    + batch.get(0).id() + (batch.size() > 1 ? " and " + (batch.size() - 1) + " more" : "") + ") is "
                    + ll);
        }
        double eta = updates == 0 ? 1 : schedule.stepSize(updates);
        // N / n_k, exactly 1 when the batch is the whole reference size
        double scale = referenceSteps / steps;
        running.blend(updates == 0 ? 0 : 1 - eta, statistics, eta * scale);
        updates++;
        if (updates > schedule.warmUp()) {
            model = em.maximization(running, settings);
        }
        return ll;
    }

    /** The current model: the start until the warm-up is over, then M(s) of the last update. */
    public StateSpaceModel<?, ?> model() {
        return model;
    }

    /** Updates made so far. */
    public long updates() {
        return updates;
    }

    /** The running statistics as numbers ({@link SufficientStatistics#toArray}). */
    double[] statistics() {
        return running.toArray();
    }
}

package org.statespace.inference;

import java.util.Objects;

import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;

/**
 * A fitted model typed as the model that went in, with how the fit went: what {@link Trainer#fit(StateSpaceModel,
 * Dataset)} and {@link Trainer#fit(org.statespace.spec.ModelTemplate, Dataset)} return, so no cast is needed.
 *
 * <pre>{@code
 * FittedModel<StructuralModel> fit = Trainer.fit(StructuralModel.localLevel(), nile);
 * StructuralModel model = fit.model();              // typed: no cast
 * KalmanSmootherResult smoothed = model.smoothStates(nile.sequences().get(0));
 * String summary = fit.summary();                   // estimates, standard errors, log-likelihood, AIC, BIC
 * }</pre>
 *
 * @param model    the fitted model
 * @param result   how the fit went (method, iterations, convergence, log-likelihood trace, learning curve)
 * @param training the data it was fitted to, aligned to the model (its standard errors are taken on it)
 * @param <M>      the model's class
 */
public record FittedModel<M extends StateSpaceModel<?, ?>>(M model, FitResult result, Dataset training) {

    public FittedModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(training, "training");
    }

    /** The fitted model's log-likelihood on the training data. */
    public double logLikelihood() {
        return result.logLikelihood();
    }

    /** AIC on the training data. */
    public double aic() {
        return result.aic();
    }

    /** BIC on the training data. */
    public double bic() {
        return result.bic();
    }

    /** Whether the fit converged (see {@link FitResult#converged()}). */
    public boolean converged() {
        return result.converged();
    }

    /**
     * Standard errors of the fitted parameters from the observed information on the training data (see
     * {@link StandardErrors}); {@link StandardErrors#problem()} says why when there are none. Each call computes
     * them again (a numerical Hessian: 2k² log-likelihood evaluations for k free parameters).
     */
    public StandardErrors standardErrors() {
        return StandardErrors.of(model, training, FilterEngine.of(FilterOptions.defaults().withThreads(
                result.options().threads())), result.settings());
    }

    /**
     * The fitted model run as a filter over the training data: its one-step-ahead predictive distributions and
     * the log-likelihood of every sequence.
     */
    public FilterResult filter() {
        return FilterEngine.of(FilterOptions.defaults().withThreads(result.options().threads())).run(model, training);
    }

    /**
     * The text {@code statespace fit} prints: how the fit ended, log-likelihood, AIC, BIC and a table of the
     * parameters with standard errors and 95% intervals ({@link FitSummary}).
     */
    public String summary() {
        return FitSummary.of(result, standardErrors());
    }
}

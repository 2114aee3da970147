package org.statespace.kalman;

import java.util.ArrayList;
import java.util.List;

import org.statespace.capability.StateEstimates;
import org.statespace.capability.Track;
import org.statespace.numeric.SpecialFunctions;

/**
 * A Kalman filter run over one sequence, stored packed (T steps, state dimension n, observation
 * dimension m). Tracks, as the command line writes them:
 * <ul>
 *   <li>{@code predictedMeans} (T×n), {@code predictedCovariances} (T×n×n): x_t given o_0..o_{t-1};</li>
 *   <li>{@code filteredMeans}, {@code filteredCovariances}: x_t given o_0..o_t;</li>
 *   <li>{@code innovations} (T×m): v_t = y_t - ŷ_t, NaN for missing components;
 *       {@code innovationCovariances} (T×m×m): F_t = H P_t Hᵀ + R;</li>
 *   <li>{@code logLikelihoodTerms} (T): log p(o_t | past) in the convention of {@link #logLikelihood()},
 *       0 for a missing observation;</li>
 *   <li>with an exact diffuse start, also {@code predictedDiffuseCovariances},
 *       {@code filteredDiffuseCovariances} (P_∞, n×n) and {@code innovationDiffuseCovariances}
 *       (F_∞ = H P_∞ Hᵀ), zero once the diffuse phase is over; the covariance tracks then hold the
 *       finite parts P_*, F_* (statsmodels reports them the same way).</li>
 * </ul>
 */
public final class KalmanFilterResult implements StateEstimates {
    private final int length;
    private final int n;
    private final int m;
    private final double[] predictedMeans;
    private final double[] predictedCovariances;
    private final double[] filteredMeans;
    private final double[] filteredCovariances;
    private final double[] innovations;
    private final double[] innovationCovariances;
    private final double[] terms;
    private final double[] predictedDiffuse;
    private final double[] filteredDiffuse;
    private final double[] innovationDiffuse;
    private final int diffuseSteps;
    private final int diffuseElements;
    private final double logLikelihood;

    KalmanFilterResult(int length, int n, int m, double[] predictedMeans, double[] predictedCovariances,
            double[] filteredMeans, double[] filteredCovariances, double[] innovations, double[] innovationCovariances,
            double[] terms, double[] predictedDiffuse, double[] filteredDiffuse, double[] innovationDiffuse,
            int diffuseSteps, int diffuseElements) {
        this.length = length;
        this.n = n;
        this.m = m;
        this.predictedMeans = predictedMeans;
        this.predictedCovariances = predictedCovariances;
        this.filteredMeans = filteredMeans;
        this.filteredCovariances = filteredCovariances;
        this.innovations = innovations;
        this.innovationCovariances = innovationCovariances;
        this.terms = terms;
        this.predictedDiffuse = predictedDiffuse;
        this.filteredDiffuse = filteredDiffuse;
        this.innovationDiffuse = innovationDiffuse;
        this.diffuseSteps = diffuseSteps;
        this.diffuseElements = diffuseElements;
        double sum = 0;
        for (double v : terms) {
            sum += v;
        }
        this.logLikelihood = sum;
    }

    @Override
    public int length() {
        return length;
    }

    /** n. */
    public int stateDimension() {
        return n;
    }

    /** m. */
    public int observationDimension() {
        return m;
    }

    /**
     * Σ_t log p(o_t | o_0..o_{t-1}), the sequence log-likelihood. With an exact diffuse start this is the
     * diffuse log-likelihood of Durbin &amp; Koopman (2012, eq. 7.4), the limit of log L + (q/2) log κ for
     * a prior κ P_∞ on the q diffuse elements as κ → ∞, in which every observed component of a diffuse
     * step contributes -½ (log 2π + log F_∞) when F_∞ &gt; 0 and its ordinary term otherwise. This is
     * statsmodels' value (-633.4646 for the Nile local-level model) and equals the recurrence's sum.
     */
    @Override
    public double logLikelihood() {
        return logLikelihood;
    }

    /**
     * The log-likelihood in the convention of R's KFAS: as {@link #logLikelihood()} but without the
     * -½ log 2π of each observed component whose F_∞ was positive (-632.5456 for the Nile). Equal to
     * {@link #logLikelihood()} without a diffuse start.
     */
    public double logLikelihoodKfasConvention() {
        return logLikelihood + 0.5 * SpecialFunctions.LOG_2PI * diffuseElements;
    }

    /** Steps of the exact diffuse phase (0 without a diffuse start). */
    public int diffuseSteps() {
        return diffuseSteps;
    }

    /** Observed components that resolved a diffuse direction (F_∞ &gt; 0): q when the data identify it. */
    public int diffuseElements() {
        return diffuseElements;
    }

    public double predictedMean(int t, int i) {
        return predictedMeans[t * n + i];
    }

    public double predictedCovariance(int t, int i, int j) {
        return predictedCovariances[(t * n + i) * n + j];
    }

    public double filteredMean(int t, int i) {
        return filteredMeans[t * n + i];
    }

    public double filteredCovariance(int t, int i, int j) {
        return filteredCovariances[(t * n + i) * n + j];
    }

    /** v_t,j, NaN when component j of o_t is missing. */
    public double innovation(int t, int j) {
        return innovations[t * m + j];
    }

    public double innovationCovariance(int t, int i, int j) {
        return innovationCovariances[(t * m + i) * m + j];
    }

    /** log p(o_t | past). */
    public double logLikelihoodTerm(int t) {
        return terms[t];
    }

    @Override
    public List<Track> tracks() {
        List<Track> out = new ArrayList<>();
        out.add(new Track("predictedMeans", length, new int[] {n}, predictedMeans));
        out.add(new Track("predictedCovariances", length, new int[] {n, n}, predictedCovariances));
        out.add(new Track("filteredMeans", length, new int[] {n}, filteredMeans));
        out.add(new Track("filteredCovariances", length, new int[] {n, n}, filteredCovariances));
        out.add(new Track("innovations", length, new int[] {m}, innovations));
        out.add(new Track("innovationCovariances", length, new int[] {m, m}, innovationCovariances));
        out.add(new Track("logLikelihoodTerms", length, new int[0], terms));
        if (predictedDiffuse != null) {
            out.add(new Track("predictedDiffuseCovariances", length, new int[] {n, n}, predictedDiffuse));
            out.add(new Track("filteredDiffuseCovariances", length, new int[] {n, n}, filteredDiffuse));
            out.add(new Track("innovationDiffuseCovariances", length, new int[] {m, m}, innovationDiffuse));
        }
        return out;
    }

    @Override
    public String toString() {
        return "KalmanFilterResult[T=" + length + ", n=" + n + ", m=" + m + ", logLikelihood=" + logLikelihood + "]";
    }
}

/**
 * Charts of state-space results, drawn with XChart as pure functions from plain inputs (records of
 * arrays: {@link org.statespace.plots.PredictiveSeries}, {@link org.statespace.plots.GaussianTrack},
 * {@link org.statespace.plots.StateProbabilityTrack}, {@link org.statespace.plots.CurveLine},
 * {@link org.statespace.plots.MetricTable}, {@link org.statespace.plots.HiddenUnits},
 * {@link org.statespace.plots.LoopGraphLayout}) to charts; {@link org.statespace.plots.PlotFiles} writes PNG
 * and SVG, {@link org.statespace.plots.StudyReport} the self-contained {@code report.html}. The module
 * depends on the engine ({@code inference}) and the core, never on a model family: family-specific
 * pictures come through the core's capabilities (state filtering and smoothing tracks, path decoding).
 *
 * <p>What the bands are:
 * <ul>
 * <li>Predictive bands: the 5%, 25%, 75% and 95% quantiles of the one-step predictive distribution
 *     p(o_t | o_0..o_{t-1}) that the engine keeps; the 50% band is [q25, q75], the 90% band [q5, q95].</li>
 * <li>Gaussian state bands: for x_t ~ N(m_t, P_t) (filtered: given o_0..o_t; smoothed: given all T
 *     observations), component j is drawn as m_t,j ± z σ_t,j with σ²_t,j = (P_t)_jj, z = Φ⁻¹(0.75) ≈ 0.674
 *     for the 50% band and z = Φ⁻¹(0.95) ≈ 1.645 for the 90% band.</li>
 * <li>State probabilities: row t of a T×K matrix (p(s_t = k | ...)) stacked from 0 to 1 in state order;
 *     discrete paths (Viterbi, true, observed) as strips of the same colours below.</li>
 * <li>Learning curves: loss per observation after each iteration; metric bars: mean over seeds with
 *     ± one sample standard deviation.</li>
 * </ul>
 */
package org.statespace.plots;

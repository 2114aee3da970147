/**
 * The results of running a model over a dataset as typed values, each with one JSON codec: the one-step-ahead
 * filter ({@link org.statespace.inference.result.FilterReport}: log p(o_t | o_0..o_{t-1}) per step, the predictive
 * mean, variance and central intervals, the filtered state tracks such as p(s_t | o_0..o_t)), the smoother
 * ({@link org.statespace.inference.result.SmoothReport}: p(s_t | o_0..o_{T-1}), E[x_t | all], Cov[x_t | all]),
 * the decoder ({@link org.statespace.inference.result.DecodeReport}: argmax_s p(s, o) and its log-probability)
 * and the forecaster ({@link org.statespace.inference.result.ForecastReport}: p(o_{T+k-1} | o_0..o_{T-1}),
 * k = 1..K). Per-step quantities are {@link org.statespace.capability.Track}s (T blocks of one shape, packed).
 * The command line writes them and the plots read them ({@link org.statespace.inference.result.ResultValue#read});
 * their fields are declared once in {@link org.statespace.study.ResultFields}.
 */
package org.statespace.inference.result;

package org.statespace.plots;

import java.util.List;

import org.statespace.DimensionMismatchException;
import org.statespace.inference.LearningCurve;

/**
 * One fit's learning curve: the loss after each iteration (EM step, optimiser step or epoch) on the
 * training data and, when there was validation data, on it. Losses are per observation; NaN where
 * there is no value.
 *
 * @param model          the model's name (one colour per model)
 * @param seed           the seed of this fit
 * @param iteration      the x values
 * @param trainingLoss   training loss per iteration
 * @param validationLoss validation loss per iteration (all NaN when there was none)
 */
public record CurveLine(String model, long seed, double[] iteration, double[] trainingLoss, double[] validationLoss) {

    public CurveLine {
        if (trainingLoss.length != iteration.length) {
            throw new DimensionMismatchException(model + " trainingLoss", iteration.length + " values",
                    trainingLoss.length + " values");
        }
        if (validationLoss.length != iteration.length) {
            throw new DimensionMismatchException(model + " validationLoss", iteration.length + " values",
                    validationLoss.length + " values");
        }
        iteration = iteration.clone();
        trainingLoss = trainingLoss.clone();
        validationLoss = validationLoss.clone();
    }

    /** A trainer's learning curve. */
    public static CurveLine of(String model, long seed, LearningCurve curve) {
        List<LearningCurve.Point> points = curve.points();
        int n = points.size();
        double[] it = new double[n];
        double[] tr = new double[n];
        double[] va = new double[n];
        for (int i = 0; i < n; i++) {
            it[i] = points.get(i).iteration();
            tr[i] = points.get(i).trainingLoss();
            va[i] = points.get(i).validationLoss();
        }
        return new CurveLine(model, seed, it, tr, va);
    }
}

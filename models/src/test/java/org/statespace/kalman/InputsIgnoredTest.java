package org.statespace.kalman;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.statespace.data.Sequence;
import org.statespace.spec.ModelSpecs;

/**
 * A Kalman-family model without inputs ignores the inputs a dataset carries, as every other family does
 * (ObservationSpace.align): the local level on seatbelts-like data with two input columns filters exactly as on
 * the same observations without them. (The filter used to refuse such a sequence, so a study that put a
 * local-level model beside an input-output HMM on data with inputs failed the local-level row.)
 */
class InputsIgnoredTest {

    @Test
    void aModelWithoutInputsFiltersDataWithInputsAsWithoutThem() {
        double[] y = {1.2, 0.7, Double.NaN, 2.5, 1.9, 3.1};
        Sequence plain = Sequence.ofScalars("s", y);
        double[] inputs = new double[y.length * 2];
        for (int t = 0; t < y.length; t++) {
            inputs[2 * t] = t >= 3 ? 1 : 0;
            inputs[2 * t + 1] = 0.1 * t;
        }
        Sequence withInputs = plain.withInputs(2, inputs);
        for (String spec : List.of(
                "{\"type\": \"local-level\", \"observationVariance\": 0.5, \"levelVariance\": 0.2}",
                "{\"type\": \"lgssm\", \"transitionMatrix\": [[0.8]], \"processNoise\": [[0.5]], \"observationMatrix\": "
                        + "[[1.0]], \"observationNoise\": [[0.3]], \"initialMean\": [0.0], \"initialCovariance\": [[2]]}")) {
            var model = (org.statespace.capability.StateFiltering) ModelSpecs.parse(spec, "test");
            double expected = model.filterStates(plain).logLikelihood();
            assertThat(model.filterStates(withInputs).logLikelihood()).as(spec).isEqualTo(expected);
            assertThat(expected).isFinite();
        }
    }
}

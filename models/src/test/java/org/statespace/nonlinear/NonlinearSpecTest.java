package org.statespace.nonlinear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.SpecException;
import org.statespace.NumericalException;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.numeric.Randoms;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/** Specs of {@code "nonlinear"} models: round trip, defaults, bad input naming the field and value, free parameters. */
class NonlinearSpecTest {

    private static NonlinearModel read(String json) {
        return new NonlinearType().read(SpecNode.root(Json.parse(json, "test.json"), "test.json"));
    }

    @Test
    void everyBuiltinAndFilterRoundTrips() {
        for (BuiltinModel b : BuiltinModel.values()) {
            for (NonlinearFilter f : NonlinearFilter.values()) {
                NonlinearModel m = NonlinearModel.builtin(b, f);
                ObjectNode spec = m.toSpec();
                NonlinearModel back = new NonlinearType().read(SpecNode.root(spec, "x"));
                assertThat(back).isEqualTo(m);
                assertThat(back.toSpec()).isEqualTo(spec);
            }
        }
        NonlinearModel custom = read("{\"type\": \"nonlinear\", \"model\": \"stochastic-volatility\", \"filter\": \"particle\","
                + " \"particles\": 50, \"seed\": 3, \"resampleThreshold\": 1, \"parameters\": {\"phi\": 0.9},"
                + " \"free\": [\"processNoise\", \"phi\"]}");
        assertThat(new NonlinearType().read(SpecNode.root(custom.toSpec(), "x"))).isEqualTo(custom);
        assertThat(custom.parameters()).containsExactly(0, 0.9);
        assertThat(custom.options().particles()).isEqualTo(50);
    }

    @Test
    void registryFindsTheType() {
        assertThat(ModelSpecs.parse("{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ekf\"}", "x"))
                .isEqualTo(NonlinearModel.builtin(BuiltinModel.GROWTH, NonlinearFilter.EXTENDED));
    }

    @Test
    void badInputNamesTheFieldAndValue() {
        assertThatThrownBy(() -> read("{\"type\": \"nonlinear\", \"model\": \"growht\", \"filter\": \"ekf\"}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("model").hasMessageContaining("growht")
                .hasMessageContaining("did you mean \"growth\"");
        assertThatThrownBy(() -> read("{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ufk\"}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("filter").hasMessageContaining("did you mean \"ukf\"");
        assertThatThrownBy(() -> read("{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ekf\", \"processNoise\": [[-1]]}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("processNoise").hasMessageContaining("positive definite");
        assertThatThrownBy(() -> read("{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ukf\", \"alpha\": 0}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("alpha").hasMessageContaining("(0, 1]")
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> read("{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"particle\", \"particles\": 0}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("particles").hasMessageContaining("got 0");
        assertThatThrownBy(() -> read("{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ekf\", \"particles\": 10}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("particles").hasMessageContaining("particle filter");
        assertThatThrownBy(() -> read("{\"type\": \"nonlinear\", \"model\": \"pendulum\", \"filter\": \"ekf\", \"parameters\": {\"g\": -1}}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("parameters.g").hasMessageContaining("-1");
        assertThatThrownBy(() -> read("{\"type\": \"nonlinear\", \"model\": \"pendulum\", \"filter\": \"ekf\", \"free\": [\"dtt\"]}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("free[0]").hasMessageContaining("did you mean \"dt\"");
        assertThatThrownBy(() -> read("{\"type\": \"nonlinear\", \"model\": \"lorenz63\", \"filter\": \"ekf\", \"initialMean\": [1, 2]}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("initialMean");
    }

    @Test
    void templateChecksTheDataDimension() {
        Dataset twoD = Dataset.of(List.of(Sequence.of("a", 2, new double[] {1, 2, 3, 4})));
        assertThatThrownBy(() -> new NonlinearType().template(
                SpecNode.root(Json.parse("{\"type\": \"nonlinear\", \"model\": \"growth\", \"filter\": \"ekf\"}", "t"), "t"),
                twoD, Randoms.seeded(1)))
                .hasMessageContaining("observes 1").hasMessageContaining("dimension 2");
    }

    @Test
    void freeParametersMapBackToTheModel() {
        NonlinearModel m = read("{\"type\": \"nonlinear\", \"model\": \"stochastic-volatility\", \"filter\": \"ekf\","
                + " \"free\": [\"processNoise\", \"observationNoise\", \"mu\", \"phi\"]}");
        double[] theta = m.freeParameters();
        assertThat(theta).containsExactly(new double[] {Math.log(0.05), Math.log(Math.PI * Math.PI / 2), 0,
                0.5 * Math.log(1.95 / 0.05)}, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(m.freeParameterNames()).containsExactly("log processNoise[0][0]", "log observationNoise[0][0]", "mu", "atanh phi");
        NonlinearModel back = m.withFreeParameters(theta);
        assertThat(back.parameters()).containsExactly(m.parameters(), org.assertj.core.api.Assertions.within(1e-15));
        assertThat(back.system().processNoise()[0][0]).isCloseTo(0.05, org.assertj.core.api.Assertions.within(1e-17));
        NonlinearModel moved = m.withFreeParameters(new double[] {Math.log(0.2), 0, -1, 0.5 * Math.log(3)});
        assertThat(moved.system().processNoise()[0][0]).isEqualTo(0.2);
        assertThat(moved.system().observationNoise()[0][0]).isEqualTo(1.0);
        assertThat(moved.parameters()[0]).isEqualTo(-1);
        assertThat(moved.parameters()[1]).isEqualTo(0.5, org.assertj.core.api.Assertions.within(1e-15));
        assertThatThrownBy(() -> m.withFreeParameters(new double[] {800, 0, 0, 0})).isInstanceOf(NumericalException.class);
        // a non-diagonal noise matrix is scaled as a whole
        NonlinearModel pendulum = NonlinearModel.builtin(BuiltinModel.PENDULUM, NonlinearFilter.EXTENDED);
        assertThat(pendulum.freeParameterNames()).containsExactly("log processNoise scale", "log observationNoise[0][0]");
        double q01 = pendulum.system().processNoise()[0][1];
        assertThat(pendulum.withFreeParameters(new double[] {Math.log(2), Math.log(0.1)}).system().processNoise()[0][1])
                .isEqualTo(2 * q01);
    }
}

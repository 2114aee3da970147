package org.statespace.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import org.statespace.SpecException;
import org.statespace.capability.GradientEvaluator;
import org.statespace.data.Dataset;
import org.statespace.data.Sequence;
import org.statespace.rnn.Cell;
import org.statespace.rnn.Head;
import org.statespace.rnn.Layer;
import org.statespace.rnn.RnnArchitecture;
import org.statespace.rnn.RnnFitSettings;
import org.statespace.rnn.RnnModel;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/** The {@code "fit": {"fixed": [...]}} block of rnn specs under gradient training. */
class RnnFitControlTest {

    private static RnnModel network() {
        return RnnModel.initialized(RnnArchitecture.stack(1, List.of(Layer.of(Cell.GRU, 4)),
                Head.of(Head.Type.GAUSSIAN, 1)), 5);
    }

    private static RnnModel withFit(RnnModel net, String fit) {
        ObjectNode spec = net.toSpec();
        spec.set("fit", Json.parse(fit, "fit"));
        return (RnnModel) ModelSpecs.read(SpecNode.root(spec, "spec.json"));
    }

    private static Dataset wave() {
        List<Sequence> out = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            double[] y = new double[40];
            for (int t = 0; t < y.length; t++) {
                y[t] = Math.sin(0.3 * t + s) + 0.1 * Math.cos(1.7 * t);
            }
            out.add(Sequence.ofScalars("wave" + s, y));
        }
        return Dataset.of(out);
    }

    private static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }

    @Test
    void fixedBlocksAndEntriesKeepTheirValuesBitForBitWhileTheRestLearns() {
        RnnModel start = withFit(network(), "{\"fixed\": [\"weights.weight_hh_l0\", \"weights.bias_ih_l0\", "
                + "\"weights.weight_ih_l0[2][0]\"]}");
        TrainOptions options = TrainOptions.defaults().withMethod(TrainOptions.Method.GRADIENT).withMaxIterations(30)
                .withLearningRate(0.02).withBatchSize(2).withThreads(1).withSeed(3);
        FitResult result = Trainer.fit(start, wave(), null, options, RnnFitSettings.defaults(), TrainingListener.NONE);
        RnnModel fitted = (RnnModel) result.model();
        assertThat(bits(fitted.weight("weight_hh_l0"))).isEqualTo(bits(start.weight("weight_hh_l0")));
        assertThat(bits(fitted.weight("bias_ih_l0"))).isEqualTo(bits(start.weight("bias_ih_l0")));
        double[] before = start.weight("weight_ih_l0");
        double[] after = fitted.weight("weight_ih_l0");
        assertThat(Double.doubleToRawLongBits(after[2])).isEqualTo(Double.doubleToRawLongBits(before[2]));
        // the other entries of that block, and the other blocks, moved
        for (int i = 0; i < after.length; i++) {
            if (i != 2) {
                assertThat(after[i]).as("weight_ih_l0 entry %d", i).isNotEqualTo(before[i]);
            }
        }
        for (String name : List.of("bias_hh_l0", "head.weight", "head.bias")) {
            assertThat(fitted.weight(name)).as(name).isNotEqualTo(start.weight(name));
        }
        double[] trace = result.logLikelihoodTrace();
        assertThat(trace[trace.length - 1]).isGreaterThan(trace[0]);
        // written back with the fitted spec, and read again the same
        assertThat(fitted.toSpec().get("fit")).isEqualTo(start.toSpec().get("fit"));
        assertThat(ModelSpecs.read(SpecNode.root(fitted.toSpec(), "again"))).isEqualTo(fitted);
    }

    @Test
    void theMaskedGradientIsTheFullGradientWithTheFixedEntriesZero() {
        RnnModel free = network();
        RnnModel held = withFit(free, "{\"fixed\": [\"weights.weight_hh_l0[1]\", \"weights.head.bias\"]}");
        double[] theta = free.parameters();
        List<Sequence> batch = wave().sequences();
        double[] full = new double[theta.length];
        double[] masked = new double[theta.length];
        GradientEvaluator a = free.gradientEvaluator(RnnFitSettings.defaults());
        GradientEvaluator b = held.gradientEvaluator(RnnFitSettings.defaults());
        assertThat(b.evaluate(theta, batch, masked)).isEqualTo(a.evaluate(theta, batch, full));
        RnnArchitecture.Block hh = free.architecture().block("weight_hh_l0");
        RnnArchitecture.Block bias = free.architecture().block("head.bias");
        for (int i = 0; i < theta.length; i++) {
            boolean fixed = (i >= hh.offset() + hh.cols() && i < hh.offset() + 2 * hh.cols())
                    || (i >= bias.offset() && i < bias.offset() + bias.size());
            assertThat(masked[i]).as("entry %d", i).isEqualTo(fixed ? 0.0 : full[i]);
            if (fixed) {
                assertThat(full[i]).as("entry %d has a gradient to remove", i).isNotEqualTo(0.0);
            }
        }
    }

    @Test
    void unknownWeightsAndIndicesAreErrorsNamingTheNearest() {
        assertThatThrownBy(() -> withFit(network(), "{\"fixed\": [\"weights.weigth_hh_l0\"]}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("fit.fixed[0]")
                .hasMessageContaining("\"weights.weight_hh_l0\"");
        assertThatThrownBy(() -> withFit(network(), "{\"fixed\": [\"weight_hh_l0\"]}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("nearest valid path is \"weights.weight_hh_l0\"");
        assertThatThrownBy(() -> withFit(network(), "{\"fixed\": [\"weights.weight_hh_l1\"]}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("weights.weight_hh_l0, weights.bias_ih_l0");
        assertThatThrownBy(() -> withFit(network(), "{\"fixed\": [\"weights.weight_hh_l0[12][0]\"]}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("index 12 is out of range")
                .hasMessageContaining("12x4");
        assertThatThrownBy(() -> withFit(network(), "{\"fixed\": [\"weights.bias_hh_l0[1][0]\"]}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("at most 1 index");
        assertThatThrownBy(() -> withFit(network(), "{\"tied\": {}}"))
                .isInstanceOf(SpecException.class).hasMessageContaining("fit.tied");
    }
}

package org.statespace.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * Forward outputs and final states of PyTorch's nn.RNN (2 layers, tanh), nn.LSTM and nn.GRU with the
 * weights recorded in torch-rnn.json (PyTorch 1.13, float64; see the README next to it), loaded through
 * an {@code "rnn"} spec under PyTorch's own names, matched to 1e-10.
 */
class TorchReferenceTest {
    static final double TOLERANCE = 1e-10;

    private static JsonNode reference() throws Exception {
        try (InputStream in = TorchReferenceTest.class.getResourceAsStream("torch-rnn.json")) {
            return Json.read(in, "torch-rnn.json");
        }
    }

    /** A spec with PyTorch's weights and a zero linear head (the head plays no part here). */
    private static RnnModel load(JsonNode module, String cell, int layers, int hidden) {
        ObjectNode spec = Json.object();
        spec.put("type", "rnn");
        spec.put("inputSize", 3);
        ArrayNode ls = spec.putArray("layers");
        for (int l = 0; l < layers; l++) {
            ls.addObject().put("cell", cell).put("hiddenSize", hidden);
        }
        spec.putObject("head").put("type", "linear").put("outputSize", 1);
        ObjectNode weights = spec.putObject("weights");
        module.get("parameters").fields().forEachRemaining(e -> weights.set(e.getKey(), e.getValue().get("value")));
        ArrayNode headWeight = weights.putArray("head.weight").addArray();
        for (int j = 0; j < hidden; j++) {
            headWeight.add(0);
        }
        weights.putArray("head.bias").add(0);
        return (RnnModel) ModelSpecs.read(spec, "torch-rnn.json " + cell);
    }

    private static double[][] matrix(JsonNode n) {
        double[][] m = new double[n.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new double[n.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = n.get(i).get(j).doubleValue();
            }
        }
        return m;
    }

    private static void assertMatrix(double[][] actual, double[][] expected, String what) {
        assertThat(actual.length).as(what).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i].length).as(what).isEqualTo(expected[i].length);
            for (int j = 0; j < expected[i].length; j++) {
                assertThat(actual[i][j]).as("%s[%d][%d]", what, i, j).isCloseTo(expected[i][j], within(TOLERANCE));
            }
        }
    }

    @Test
    void twoLayerTanhRnn() throws Exception {
        JsonNode ref = reference();
        RnnModel model = load(ref.get("RNN"), "tanh", 2, 5);
        ForwardPass run = model.forward(matrix(ref.get("input")), InitialStates.zeros());
        JsonNode expected = ref.get("RNN").get("zero_init");
        assertMatrix(run.hidden(1), matrix(expected.get("output")), "output");
        double[][] hn = matrix(expected.get("h_n"));
        assertMatrix(new double[][] {run.finalHidden(0), run.finalHidden(1)}, hn, "h_n");
    }

    @Test
    void lstm() throws Exception {
        ForwardPass run = gated("LSTM", "lstm");
        assertMatrix(new double[][] {run.finalCell(0)}, matrix(reference().get("LSTM").get("zero_init").get("c_n")), "c_n");
    }

    @Test
    void gru() throws Exception {
        gated("GRU", "gru");
    }

    // one gated layer of 4 units: outputs and h_n against the reference, the run for more checks
    private static ForwardPass gated(String module, String cell) throws Exception {
        JsonNode ref = reference();
        ForwardPass run = load(ref.get(module), cell, 1, 4).forward(matrix(ref.get("input")), InitialStates.zeros());
        JsonNode expected = ref.get(module).get("zero_init");
        assertMatrix(run.hidden(0), matrix(expected.get("output")), module + " output");
        assertMatrix(new double[][] {run.finalHidden(0)}, matrix(expected.get("h_n")), module + " h_n");
        return run;
    }

    @Test
    void theEngineRunsTheSameNetwork() throws Exception {
        // through the recurrence, the input at step t is [o_{t-1}; u_t]: with observations o_t = 0 and the
        // reference input as u_t, step t sees [0; x_t]; a zero first column of weight_ih keeps it PyTorch's net
        JsonNode ref = reference();
        RnnModel torch = load(ref.get("LSTM"), "lstm", 1, 4);
        double[][] x = matrix(ref.get("input"));
        RnnArchitecture a = RnnArchitecture.stack(4, java.util.List.of(Layer.of(Cell.LSTM, 4)), Head.of(Head.Type.LINEAR, 1));
        RnnModel engine = RnnModel.initialized(a, 0);
        double[][] w = torch.weightMatrix("weight_ih_l0");
        double[] widened = new double[16 * 4];
        for (int i = 0; i < 16; i++) {
            System.arraycopy(w[i], 0, widened, i * 4 + 1, 3);
        }
        engine = engine.withWeight("weight_ih_l0", widened);
        for (String name : new String[] {"weight_hh_l0", "bias_ih_l0", "bias_hh_l0"}) {
            engine = engine.withWeight(name, torch.weight(name));
        }
        double[] u = new double[x.length * 3];
        for (int t = 0; t < x.length; t++) {
            System.arraycopy(x[t], 0, u, t * 3, 3);
        }
        var s = org.statespace.data.Sequence.ofScalars("s", new double[x.length]).withInputs(3, u);
        HiddenStates states = engine.filterStates(s);
        double[][] expected = matrix(ref.get("LSTM").get("zero_init").get("output"));
        for (int t = 0; t < x.length; t++) {
            for (int j = 0; j < 4; j++) {
                assertThat(states.hidden(0).value(t, j)).isCloseTo(expected[t][j], within(TOLERANCE));
            }
        }
        assertThat(states.track("cell_l0").value(x.length - 1, 2))
                .isCloseTo(ref.get("LSTM").get("zero_init").get("c_n").get(0).get(2).doubleValue(), within(TOLERANCE));
    }
}

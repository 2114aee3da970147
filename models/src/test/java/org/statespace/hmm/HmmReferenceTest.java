package org.statespace.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.statespace.Recurrence;
import org.statespace.capability.DecodedPath;
import org.statespace.data.Sequence;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;

/**
 * Published examples (resources/org/statespace/hmm, origin in its README): the occasionally dishonest
 * casino of Durbin et al. (1998) with the book's 300 rolls, and the healthy/fever Viterbi example.
 */
class HmmReferenceTest {

    static JsonNode resource(String name) throws IOException {
        try (InputStream in = HmmReferenceTest.class.getResourceAsStream(name)) {
            return Json.read(in, name);
        }
    }

    /** The model part of a reference file as an {@code "hmm"} spec (symbol names as text). */
    static HiddenMarkovModel model(JsonNode ref) {
        ObjectNode spec = Json.object();
        spec.put("type", "hmm");
        spec.set("states", ref.get("states"));
        spec.set("initial", ref.get("initial"));
        spec.set("transition", ref.get("transition"));
        ObjectNode emission = ref.get("emission").deepCopy();
        JsonNode symbols = emission.has("symbols") ? emission.get("symbols") : ref.get("symbols");
        ArrayNode names = emission.putArray("symbols");
        symbols.forEach(s -> names.add(s.asText()));
        spec.set("emission", emission);
        return (HiddenMarkovModel) ModelSpecs.read(spec, "reference");
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @Test
    void dishonestCasino() throws IOException {
        JsonNode ref = resource("casino.json");
        HiddenMarkovModel casino = model(ref);
        Sequence rolls = Sequence.ofSymbols("rolls", ints(ref.get("observationsZeroBased")));
        JsonNode expected = ref.get("expected");
        assertThat(rolls.length()).isEqualTo(300);

        double ll = expected.get("logLikelihood").asDouble();
        assertThat(casino.logLikelihood(rolls)).isCloseTo(ll, within(1e-11 * Math.abs(ll)));
        assertThat(Recurrence.logLikelihood(casino, rolls)).isCloseTo(ll, within(1e-11 * Math.abs(ll)));

        DecodedPath viterbi = casino.decode(rolls);
        assertThat(viterbi.path()).containsExactly(ints(expected.get("viterbiPath")));
        double vl = expected.get("viterbiLogProbability").asDouble();
        assertThat(viterbi.logProbability()).isCloseTo(vl, within(1e-11 * Math.abs(vl)));
        assertThat(runLengths(viterbi.path())).isEqualTo(expected.get("viterbiRunLengths").asText());

        StateProbabilities posterior = casino.smoothStates(rolls);
        Iterator<String> steps = expected.get("posteriorFairAt").fieldNames();
        int checked = 0;
        while (steps.hasNext()) {
            String t = steps.next();
            double p = expected.get("posteriorFairAt").get(t).asDouble();
            assertThat(posterior.probability(Integer.parseInt(t), 0)).as("P(fair) at %s", t).isCloseTo(p, within(1e-10));
            checked++;
        }
        assertThat(checked).isEqualTo(6);
    }

    // "F48 L18 ..." as the reference writes the Viterbi path
    private static String runLengths(int[] path) {
        List<String> runs = new ArrayList<>();
        int start = 0;
        for (int t = 1; t <= path.length; t++) {
            if (t == path.length || path[t] != path[start]) {
                runs.add((path[start] == 0 ? "F" : "L") + (t - start));
                start = t;
            }
        }
        return String.join(" ", runs);
    }

    @Test
    void healthyFever() throws IOException {
        JsonNode ref = resource("healthy-fever.json");
        HiddenMarkovModel model = model(ref);
        assertThat(model.symbolNames()).containsExactly("normal", "cold", "dizzy");
        int cases = 0;
        for (JsonNode c : ref.get("cases")) {
            Sequence s = Sequence.ofSymbols("case", ints(c.get("observationsZeroBased")));
            DecodedPath path = model.decode(s);
            List<String> names = new ArrayList<>();
            for (int k : path.path()) {
                names.add(model.stateName(k));
            }
            List<String> expectedNames = new ArrayList<>();
            c.get("viterbiPath").forEach(n -> expectedNames.add(n.asText()));
            assertThat(names).isEqualTo(expectedNames);
            double vp = c.get("viterbiProbability").asDouble();
            assertThat(Math.exp(path.logProbability())).isCloseTo(vp, within(1e-13 * vp));
            double sp = c.get("sequenceProbability").asDouble();
            assertThat(Math.exp(model.logLikelihood(s))).isCloseTo(sp, within(1e-13 * sp));
            cases++;
        }
        assertThat(cases).isEqualTo(3);
    }
}

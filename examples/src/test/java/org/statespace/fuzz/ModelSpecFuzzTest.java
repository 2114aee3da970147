package org.statespace.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.spec.ModelSpecs;

/**
 * Fuzzes the model spec reader of every registered type ({@link ModelSpecs}). The seeds in
 * {@code ModelSpecFuzzTestInputs/anySpec/} are valid specs of every type and variant (README there).
 * In a normal test run each target replays its inputs; {@code JAZZER_FUZZ=1} fuzzes one target (see
 * examples/pom.xml, which runs each for a fixed number of executions in {@code mvn verify}).
 */
class ModelSpecFuzzTest {
    private static final List<JsonNode> SEEDS = FuzzChecks.parsed(FuzzChecks.seeds(ModelSpecFuzzTest.class, "anySpec"));
    private static final JsonMutator MUTATOR = new JsonMutator(SEEDS, ModelSpecs.typeNames());


    /** JSON text, mutated byte by byte from the seeds. */
    @FuzzTest(maxExecutions = 30_000, maxDuration = "60s")
    void anySpec(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        FuzzChecks.loadsOrFailsCleanly(() -> ModelSpecs.parse(text, "fuzz.json"));
    }

    /** A valid spec of some type, mutated as a tree (values, shapes, fields). */
    @FuzzTest(maxExecutions = 30_000, maxDuration = "60s")
    void mutatedSpec(FuzzedDataProvider data) {
        JsonNode seed = SEEDS.get(data.consumeInt(0, SEEDS.size() - 1));
        JsonNode spec = MUTATOR.mutate(seed, data, 4);
        FuzzChecks.loadsOrFailsCleanly(() -> ModelSpecs.read(spec, "fuzz.json"));
    }
}

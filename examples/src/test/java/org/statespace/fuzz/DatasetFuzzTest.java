package org.statespace.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.DatasetJson;
import org.statespace.spec.Json;

/**
 * Fuzzes the dataset readers ({@link DatasetJson}, {@link DatasetCsv}). A dataset that loads must also
 * survive what every command does next: it is written as JSON and read back to the same sequences,
 * kind, symbol names and support, and its alphabet size is defined. Seeds: {@code DatasetFuzzTestInputs/json/}
 * and {@code csv/} (README next to them).
 */
class DatasetFuzzTest {
    private static final List<JsonNode> SEEDS = FuzzChecks.parsed(FuzzChecks.seeds(DatasetFuzzTest.class, "json"));
    private static final JsonMutator MUTATOR = new JsonMutator(SEEDS, List.of("symbols", "real", "observationType",
            "sequences", "observations", "inputs", "states", "id", "provenance", "support", "counts"));


    /** JSON text, mutated byte by byte. */
    @FuzzTest(maxExecutions = 30_000, maxDuration = "60s")
    void json(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        FuzzChecks.loadsOrFailsCleanly(() -> roundTrips(DatasetJson.parse(text, "fuzz.json")));
    }

    /** A valid dataset mutated as a tree, then written as JSON text (NaN and infinities as their tokens). */
    @FuzzTest(maxExecutions = 30_000, maxDuration = "60s")
    void mutatedJson(FuzzedDataProvider data) {
        JsonNode seed = SEEDS.get(data.consumeInt(0, SEEDS.size() - 1));
        // the mutated tree may hold an infinity or NaN: written as the bare tokens (Json.write refuses them), so
        // the reader meets them as a user's file would bring them
        String text;
        try {
            text = Json.mapper().writer().without(JsonGenerator.Feature.QUOTE_NON_NUMERIC_NUMBERS)
                    .writeValueAsString(MUTATOR.mutate(seed, data, 4));
        } catch (JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
        FuzzChecks.loadsOrFailsCleanly(() -> roundTrips(DatasetJson.parse(text, "fuzz.json")));
    }

    /** CSV text, mutated byte by byte. */
    @FuzzTest(maxExecutions = 30_000, maxDuration = "60s")
    void csv(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        FuzzChecks.loadsOrFailsCleanly(() -> roundTrips(DatasetCsv.parse(text, "fuzz.csv")));
    }

    private static void roundTrips(Dataset d) {
        Dataset back = DatasetJson.parse(DatasetJson.toJson(d), "written");
        if (!back.sequences().equals(d.sequences()) || back.kind() != d.kind()
                || !back.symbolNames().equals(d.symbolNames()) || back.support() != d.support()
                || back.supportDeclared() != d.supportDeclared()) {
            String written = DatasetJson.toJson(d);
            throw new AssertionError("a dataset that loaded does not read back as it was written: "
                    + (written.length() > 2000 ? written.substring(0, 2000) + "..." : written)
                    + " (sequences equal: " + back.sequences().equals(d.sequences()) + ", kinds " + d.kind() + "/"
                    + back.kind() + ", symbols " + d.symbolNames() + "/" + back.symbolNames() + ", support "
                    + d.support() + "/" + back.support() + ", declared " + d.supportDeclared() + "/"
                    + back.supportDeclared() + ")");
        }
        if (d.alphabetSize() < 0) {
            throw new AssertionError("alphabet size " + d.alphabetSize());
        }
    }
}

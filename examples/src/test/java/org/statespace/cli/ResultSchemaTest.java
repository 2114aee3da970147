package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statespace.spec.Json;
import org.statespace.spec.SpecSchema;
import org.statespace.study.SpecSchemas;

/**
 * The schemas of the result files ({@code result-*}) against what the commands really write, checked by an
 * independent validator (networknt, draft 2020-12): every command run on small data writes JSON its schema
 * accepts, and the same file with an unknown top-level field, or without a required one, is rejected. The plots
 * reader, which checks top-level fields against the same declarations, rejects the unknown field too.
 */
class ResultSchemaTest {
    private static final SpecSchema CATALOG = SpecSchemas.catalog();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    @TempDir
    static Path dir;

    /** Every result file, by its schema kind (several files for some kinds). */
    private static final Map<String, List<Path>> RESULTS = new LinkedHashMap<>();

    private static void run(String... args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", args), r.err()).isZero();
    }

    private static Path result(String kind, String file, String... args) {
        Path out = dir.resolve(file);
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = args[0].equals("fit") ? "--report" : "--out";
        all[args.length + 1] = out.toString();
        run(all);
        RESULTS.computeIfAbsent(kind, k -> new ArrayList<>()).add(out);
        return out;
    }

    @BeforeAll
    static void runEveryCommand() throws IOException {
        String nile = dir.resolve("nile.json").toString();
        String casino = dir.resolve("casino.json").toString();
        run("datasets", "nile", "--out", nile);
        run("datasets", "casino", "--out", casino);
        String level = Files.writeString(dir.resolve("level.json"), ConvertEquivalentCommandTest.LEVEL).toString();
        String hmm = Files.writeString(dir.resolve("hmm.json"), HmmCommandLineTest.CASINO).toString();
        result("result-filter", "filter-level.json", "filter", "--model", level, "--data", nile, "--states", "--summaries");
        result("result-filter", "filter-hmm.json", "filter", "--model", hmm, "--data", casino, "--states", "--summaries");
        result("result-filter", "filter-plain.json", "filter", "--model", hmm, "--data", casino);
        result("result-smooth", "smooth-level.json", "smooth", "--model", level, "--data", nile);
        result("result-smooth", "smooth-hmm.json", "smooth", "--model", hmm, "--data", casino);
        result("result-smooth", "smooth-draws.json", "smooth", "--model", hmm, "--data", casino, "--draws", "2", "--seed", "1");
        result("result-decode", "decode.json", "decode", "--model", hmm, "--data", casino);
        result("result-forecast", "forecast-level.json", "forecast", "--model", level, "--data", nile, "--steps", "3");
        result("result-forecast", "forecast-hmm.json", "forecast", "--model", hmm, "--data", casino, "--steps", "2");
        result("result-fit-report", "report.json", "fit", "--model", level, "--data", nile, "--out",
                dir.resolve("fitted.json").toString(), "--quiet");
        result("result-sample", "sample.json", "sample", "--model", hmm, "--length", "20", "--seed", "1");
        Path weather = Files.writeString(dir.resolve("weather.json"), MarkovCommandLineTest.WEATHER);
        run("sample", "--model", weather.toString(), "--length", "1000", "--seed", "3", "--out", dir.resolve("w.json").toString());
        Path study = Files.writeString(dir.resolve("study.json"), "{\"name\": \"s\", \"datasets\": [{\"name\": \"w\", "
                + "\"path\": \"w.json\"}], \"seeds\": [1], \"models\": [{\"name\": \"chain\", \"template\": "
                + "{\"type\": \"markov-chain\"}}]}");
        run("compare", study.toString(), "--out", dir.resolve("study").toString(), "--quiet");
        RESULTS.put("result-study", List.of(dir.resolve("study/results.json")));
    }

    private static List<String> violations(String kind, JsonNode instance) {
        List<String> out = new ArrayList<>();
        for (Error e : REGISTRY.getSchema(CATALOG.document(kind)).validate(instance)) {
            out.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        return out;
    }

    @Test
    void everyResultKindHasASchemaValidAgainstTheMetaSchema() {
        var meta = REGISTRY.getSchema(SchemaLocation.of(SpecSchema.DIALECT));
        assertThat(RESULTS.keySet()).containsExactlyInAnyOrder("result-filter", "result-smooth", "result-decode",
                "result-forecast", "result-fit-report", "result-sample", "result-study");
        for (String kind : RESULTS.keySet()) {
            assertThat(CATALOG.kinds()).contains(kind);
            assertThat(meta.validate(CATALOG.document(kind))).as(kind).isEmpty();
        }
    }

    @Test
    void whatEveryCommandWritesValidatesAgainstItsSchema() {
        for (var e : RESULTS.entrySet()) {
            for (Path file : e.getValue()) {
                assertThat(violations(e.getKey(), Json.read(file))).as("%s against %s", file.getFileName(), e.getKey())
                        .isEmpty();
            }
        }
    }

    @Test
    void anUnknownTopLevelFieldOrAMissingRequiredOneIsRejected() {
        Map<String, String> required = Map.of("result-filter", "logLikelihood", "result-smooth", "sequences",
                "result-decode", "states", "result-forecast", "steps", "result-fit-report", "logLikelihoodTrace",
                "result-sample", "sequences", "result-study", "rows");
        for (var e : RESULTS.entrySet()) {
            ObjectNode good = (ObjectNode) Json.read(e.getValue().get(0));
            assertThat(good.has(required.get(e.getKey()))).as(e.getKey()).isTrue();
            ObjectNode unknown = good.deepCopy().put("logLikelihod", 1);
            assertThat(violations(e.getKey(), unknown)).as("%s with an unknown field", e.getKey())
                    .anyMatch(v -> v.contains("logLikelihod"));
            ObjectNode missing = good.deepCopy();
            missing.remove(required.get(e.getKey()));
            assertThat(violations(e.getKey(), missing)).as("%s without %s", e.getKey(), required.get(e.getKey()))
                    .anyMatch(v -> v.contains(required.get(e.getKey())));
        }
        // and inside: a forecast step with a field no forecast writes
        ObjectNode forecast = (ObjectNode) Json.read(RESULTS.get("result-forecast").get(0));
        ((ObjectNode) forecast.at("/sequences/0/forecast/0")).put("median", 1);
        assertThat(violations("result-forecast", forecast)).anyMatch(v -> v.contains("median"));
    }

    @Test
    void thePlotsReaderRejectsATopLevelFieldTheSchemaDoesNotDeclare() throws IOException {
        for (String kind : List.of("result-filter", "result-smooth", "result-decode", "result-forecast",
                "result-fit-report", "result-study")) {
            Path source = RESULTS.get(kind).get(0);
            ObjectNode bad = ((ObjectNode) Json.read(source)).put("logLikelihod", 1);
            Path file = source.resolveSibling("bad-" + source.getFileName());
            Files.writeString(file, Json.write(bad));
            CliRunner r = CliRunner.run("plot", "--result", file.toString(), "--out", dir.resolve("plots-" + kind).toString());
            assertThat(r.exitCode()).as(kind + ": " + r.err()).isEqualTo(1);
            assertThat(r.errorLines()).as(kind).hasSize(1);
            assertThat(r.err()).as(kind).contains(file.getFileName().toString()).contains("logLikelihod")
                    .contains("unknown field");
        }
    }
}

package org.statespace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.statespace.StatespaceException;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetJson;
import org.statespace.inference.FitConfiguration;
import org.statespace.inference.TrainOptions;
import org.statespace.spec.Field;
import org.statespace.spec.Fields;
import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;
import org.statespace.spec.SpecSchema;
import org.statespace.study.SpecSchemas;
import org.statespace.study.StudySpec;

/**
 * The generated JSON Schemas against an independent validator (networknt json-schema-validator, draft
 * 2020-12): every schema is valid against the draft's meta-schema; every JSON spec, study, dataset and fit
 * options file in the repository and every spec in the README validates; a table of good and bad specs is
 * accepted or rejected alike by the schema and by the reader; the declared defaults are the readers' own; the
 * reference page is the one the declarations generate.
 */
class SpecSchemaTest {
    private static final SpecSchema CATALOG = SpecSchemas.catalog();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = new HashMap<>();
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static synchronized Schema schema(String kind) {
        return SCHEMAS.computeIfAbsent(kind, k -> REGISTRY.getSchema(CATALOG.document(k)));
    }

    private static List<String> violations(String kind, JsonNode instance) {
        List<String> out = new ArrayList<>();
        for (Error e : schema(kind).validate(instance)) {
            out.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------

    @Test
    void everySchemaIsValidAgainstTheDraft202012MetaSchema() {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(SpecSchema.DIALECT));
        assertThat(CATALOG.kinds()).contains("model", "template", "study", "fit-options", "dataset", "hmm", "markov-chain",
                "lgssm", "local-level", "local-linear-trend", "rnn", "hsmm", "standardized");
        for (String kind : CATALOG.kinds()) {
            ObjectNode doc = CATALOG.document(kind);
            assertThat(doc.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(meta.validate(doc)).as("schema %s against the meta-schema", kind).isEmpty();
        }
        // the meta-schema check is not vacuous: a schema with a wrongly typed keyword fails it
        ObjectNode broken = CATALOG.document("hmm");
        broken.put("required", "type");
        assertThat(meta.validate(broken)).isNotEmpty();
    }

    /** The kind of a JSON file of the repository, or why it is not a spec (a fixture a test reads itself). */
    private static String classify(Path file, JsonNode json) {
        String path = ROOT.relativize(file).toString().replace('\\', '/');
        if (path.contains("/fit-options/")) {
            return "fit-options";
        }
        if (json.isObject() && json.has("source") && (json.has("expected") || json.has("cases") || json.has("conventions"))) {
            return "fixture";
        }
        if (json.isObject() && json.path("format").asText().equals("statespace-checkpoint")) {
            return "checkpoint"; // a trainer's checkpoint file: OldCheckpointFormatTest resumes each one
        }
        if (json.isObject() && json.has("models")) {
            return "study";
        }
        if (json.isObject() && json.has("sequences")) {
            return "dataset";
        }
        if (json.isObject() && json.has("type")) {
            return ModelSpecs.isTemplate(SpecNode.root(json, path)) ? "template" : "model";
        }
        return "unclassified";
    }

    @Test
    void everyJsonFileInTheRepositoryValidatesAndReads() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(ROOT)) {
            files = all.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> {
                        String r = ROOT.relativize(p).toString().replace('\\', '/');
                        return !r.startsWith(".") && !r.contains("/target/") && !r.startsWith("target/")
                                && !r.contains("/.") && !r.contains("node_modules");
                    })
                    .sorted().toList();
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Path f : files) {
            JsonNode json = Json.read(f);
            String kind = classify(f, json);
            counts.merge(kind, 1, Integer::sum);
            assertThat(kind).as("%s: a JSON file of no known kind", f).isNotEqualTo("unclassified");
            if (kind.equals("fixture") || kind.equals("checkpoint")) {
                continue;
            }
            assertThat(violations(kind, json)).as("%s against the %s schema", f, kind).isEmpty();
            assertThatReaderAccepts(kind, json, f.toString());
        }
        // the walk found the files it is meant to check (every family's fuzz seed specs, the studies, ...)
        assertThat(counts.getOrDefault("model", 0)).isGreaterThanOrEqualTo(30);
        assertThat(counts.getOrDefault("study", 0)).isGreaterThanOrEqualTo(4);
        assertThat(counts.getOrDefault("dataset", 0)).isGreaterThanOrEqualTo(12);
        assertThat(counts.getOrDefault("fit-options", 0)).isGreaterThanOrEqualTo(6);
        assertThat(counts.getOrDefault("fixture", 0)).isLessThanOrEqualTo(5);
    }

    @Test
    void everySpecInTheReadmeValidates() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> snippets = new ArrayList<>();
        Matcher blocks = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (blocks.find()) {
            snippets.add(blocks.group(1));
        }
        Matcher inline = Pattern.compile("`(\\{\"type\"[^`]*\\})`").matcher(readme);
        while (inline.find()) {
            snippets.add(inline.group(1));
        }
        int checked = 0;
        for (String s : snippets) {
            JsonNode json = Json.parse(s, "README");
            if (json.has("states") && json.has("sequences")) {
                continue; // a decode result, not a file the readers take
            }
            String kind = classify(ROOT.resolve("README.md"), json);
            assertThat(kind).as("README snippet %s", s).isIn("model", "template", "study", "dataset");
            assertThat(violations(kind, json)).as("README snippet %s", s).isEmpty();
            checked++;
        }
        assertThat(checked).as("README specs checked").isGreaterThanOrEqualTo(11);
    }

    // ------------------------------------------------------------------------------------------------
    // the agreement table: the schema and the reader accept and reject the same documents

    private static final String HMM_POISSON = "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
            + " \"emission\": {\"type\": \"poisson\", \"rates\": [[1], [5]]}}";
    private static final String CHAIN = "{\"type\": \"markov-chain\", \"initial\": [1, 0], \"transition\": [[0.9, 0.1], [0.5, 0.5]]}";

    static Stream<Arguments> good() {
        return Stream.of(
                Arguments.of("model", CHAIN),
                Arguments.of("model", "{\"type\": \"markov-chain\", \"states\": [\"a\", \"b\"], \"order\": 2, \"initial\": [1, 0, 0, 0],"
                        + " \"transition\": [[0.9, 0.1], [0.5, 0.5], [0.5, 0.5], [0.2, 0.8]], \"normalize\": false}"),
                Arguments.of("model", HMM_POISSON),
                Arguments.of("model", "{\"type\": \"hmm\", \"states\": [\"lo\", \"hi\"], \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
                        + " \"emission\": {\"type\": \"gaussian\", \"means\": [[0], [3]], \"covariances\": [[1], [2]]}}"),
                Arguments.of("model", "{\"type\": \"hmm\", \"initial\": [1], \"transition\": [[1]],"
                        + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"full\", \"means\": [[0, 1]], \"covariances\": [[[1, 0], [0, 1]]]}}"),
                Arguments.of("model", "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]],"
                        + " \"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"spherical\", \"means\": [[0], [3]], \"covariances\": [1, 2]}}"),
                Arguments.of("model", "{\"type\": \"hmm\", \"initial\": [1], \"transition\": [[1]],"
                        + " \"emission\": {\"type\": \"categorical\", \"symbols\": [\"H\", \"T\"], \"probabilities\": [[0.5, 0.5]]}}"),
                Arguments.of("model", "{\"type\": \"hmm\", \"initial\": [1], \"transition\": [[1]],"
                        + " \"emission\": {\"type\": \"gmm\", \"weights\": [[0.5, 0.5]], \"means\": [[[0], [1]]], \"covariances\": [[[1], [2]]]}}"),
                Arguments.of("model", "{\"type\": \"lgssm\", \"transitionMatrix\": [[1]], \"processNoise\": [[0.1]], \"observationMatrix\": [[1]],"
                        + " \"observationNoise\": [[1]], \"initialMean\": [0], \"initialCovariance\": [[10]]}"),
                Arguments.of("model", "{\"type\": \"lgssm\", \"transitionMatrix\": [[1]], \"processNoise\": [[0.1]], \"observationMatrix\": [[1]],"
                        + " \"observationNoise\": [[1]], \"initialization\": \"diffuse\", \"diffuseStates\": [0], \"controlMatrix\": [[0.5]]}"),
                Arguments.of("model", "{\"type\": \"local-level\", \"observationVariance\": 15099, \"levelVariance\": 1469.1}"),
                Arguments.of("model", "{\"type\": \"local-linear-trend\", \"observationVariance\": 1, \"levelVariance\": 0.1,"
                        + " \"slopeVariance\": 0.01, \"initialization\": \"known\", \"initialMean\": [0, 0], \"initialCovariance\": [[1, 0], [0, 1]]}"),
                Arguments.of("model", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"lstm\", \"hiddenSize\": 2, \"initialCell\": [0, 1]}],"
                        + " \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}, \"seed\": 3}"),
                Arguments.of("model", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"tanh\", \"hiddenSize\": 1}],"
                        + " \"head\": {\"type\": \"linear\", \"outputSize\": 1, \"variance\": [2]},"
                        + " \"weights\": {\"weight_ih_l0\": [[0.5]], \"weight_hh_l0\": [[0.1]], \"bias_ih_l0\": [0], \"bias_hh_l0\": [0],"
                        + " \"head.weight\": [[1]], \"head.bias\": [0]}}"),
                Arguments.of("model", "{\"type\": \"hsmm\", \"initial\": [0.5, 0.5], \"transition\": [[0, 1], [1, 0]], \"maxDuration\": 8,"
                        + " \"durations\": [{\"type\": \"poisson\", \"rate\": 3}, {\"type\": \"table\", \"probabilities\": [0.5, 0.5]}],"
                        + " \"emission\": {\"type\": \"poisson\", \"rates\": [[1], [5]]}}"),
                Arguments.of("model", "{\"type\": \"standardized\", \"observationMean\": [10], \"observationScale\": [2],"
                        + " \"model\": {\"type\": \"local-level\", \"observationVariance\": 1, \"levelVariance\": 0.5}}"),
                Arguments.of("template", "{\"type\": \"hmm\", \"states\": 3, \"emission\": \"poisson\"}"),
                Arguments.of("template", "{\"type\": \"hmm\"}"),
                Arguments.of("template", "{\"type\": \"local-level\"}"),
                Arguments.of("template", "{\"type\": \"local-linear-trend\"}"),
                Arguments.of("template", "{\"type\": \"rnn\", \"cell\": \"gru\", \"hiddenSize\": 4}"),
                Arguments.of("template", "{\"type\": \"markov-chain\", \"order\": 2}"),
                Arguments.of("template", "{\"type\": \"lgssm\", \"stateDimension\": 2, \"feedthrough\": false}"),
                Arguments.of("template", "{\"type\": \"hsmm\", \"states\": 2, \"duration\": \"poisson\", \"maxDuration\": 10}"),
                Arguments.of("fit-options:" + HMM_POISSON, "{\"maxIterations\": 5, \"covarianceFloor\": 1e-3, \"fitInitial\": false}"),
                Arguments.of("fit-options:" + CHAIN, "{\"method\": \"closed-form\", \"pseudoCount\": 1}"),
                Arguments.of("study", "{\"datasets\": [{\"builtin\": \"nile\", \"split\": {\"train\": 0.8}}], \"seeds\": [1, 2],"
                        + " \"models\": [{\"name\": \"ll\", \"template\": {\"type\": \"local-level\"}, \"fit\": {\"restarts\": 1}},"
                        + " {\"init\": " + HMM_POISSON + ", \"fit\": false}], \"levels\": [0.9], \"burn\": 2}"),
                Arguments.of("dataset", "{\"symbols\": [\"a\", \"b\"], \"sequences\": [{\"id\": \"s\", \"observations\": [\"a\", 1, null]}]}"),
                Arguments.of("dataset", "{\"sequences\": [{\"observations\": [[1, null], [2, 3]], \"inputs\": [[0.5], [1]]}]}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("good")
    void goodSpecsAreAcceptedByTheSchemaAndTheReader(String kind, String json) {
        JsonNode node = Json.parse(json, "good");
        assertThat(violations(schemaKind(kind), node)).isEmpty();
        assertThatReaderAccepts(kind, node, "good");
    }

    /** Bad documents: the kind, the document, and what the reader's message says (field path and problem). */
    static Stream<Arguments> bad() {
        String hmmHead = "{\"type\": \"hmm\", \"initial\": [0.5, 0.5], \"transition\": [[0.9, 0.1], [0.2, 0.8]], ";
        return Stream.of(
                // unknown fields, with the nearest known one (across nesting too)
                Arguments.of("model", hmmHead + "\"means\": [[0], [1]], \"emission\": {\"type\": \"poisson\", \"rates\": [[1], [5]]}}",
                        "means: unknown field; did you mean \"emission.means\"?"),
                Arguments.of("model", hmmHead + "\"emission\": {\"type\": \"gaussian\", \"means\": [[0], [1]], \"variances\": [[1], [1]]}}",
                        "emission.variances: unknown field; did you mean \"covariances\"?"),
                Arguments.of("model", CHAIN.replace("\"initial\"", "\"intial\""), "intial: unknown field; did you mean \"initial\"?"),
                Arguments.of("model", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddensize\": 2}],"
                        + " \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}}", "layers[0].hiddensize: unknown field; did you mean \"hiddenSize\"?"),
                Arguments.of("model", "{\"type\": \"local-level\", \"observationVariance\": 1, \"levelVariance\": 1, \"slopeVariance\": 1}",
                        "slopeVariance: unknown field"),
                // wrong types
                Arguments.of("model", CHAIN.replace("{\"type\": \"markov-chain\",", "{\"type\": \"markov-chain\", \"order\": \"two\","),
                        "order: expected an integer"),
                Arguments.of("model", CHAIN.replace("{\"type\": \"markov-chain\",", "{\"type\": \"markov-chain\", \"normalize\": \"yes\","),
                        "normalize: expected true or false"),
                Arguments.of("model", hmmHead + "\"emission\": [1, 2]}", "emission: expected an object"),
                Arguments.of("model", "{\"type\": \"local-level\", \"observationVariance\": \"big\", \"levelVariance\": 1}",
                        "observationVariance: expected a number"),
                // missing required fields
                Arguments.of("model", "{\"type\": \"lgssm\", \"transitionMatrix\": [[1]], \"observationMatrix\": [[1]],"
                        + " \"observationNoise\": [[1]], \"initialMean\": [0], \"initialCovariance\": [[10]]}", "processNoise: missing field"),
                Arguments.of("model", "{\"type\": \"hmm\", \"initial\": [1], \"transition\": [[1]]}", "emission: missing field"),
                Arguments.of("model", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 2}]}",
                        "head: missing field"),
                // values out of the declared set or range
                Arguments.of("model", hmmHead + "\"emission\": {\"type\": \"gaussian\", \"covarianceType\": \"diag\", \"means\": [[0], [1]],"
                        + " \"covariances\": [[1], [1]]}}", "emission.covarianceType: expected one of full, diagonal, spherical, tied"),
                Arguments.of("model", hmmHead + "\"emission\": {\"type\": \"poison\", \"rates\": [[1], [5]]}}",
                        "emission.type: expected one of categorical, gaussian, gmm, poisson"),
                Arguments.of("model", "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"lstn\", \"hiddenSize\": 2}],"
                        + " \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}}", "layers[0].cell: expected one of tanh, relu"),
                Arguments.of("model", "{\"type\": \"local-level\", \"observationVariance\": -1, \"levelVariance\": 1}",
                        "observationVariance: must be at least 0.0"),
                Arguments.of("model", CHAIN.replace("{\"type\": \"markov-chain\",", "{\"type\": \"markov-chain\", \"order\": 0,"),
                        "order: must be between 1 and 16"),
                Arguments.of("model", "{\"type\": \"hsmm\", \"initial\": [0.5, 0.5], \"transition\": [[0, 1], [1, 0]], \"maxDuration\": 8,"
                        + " \"durations\": [{\"type\": \"geometric\", \"probability\": 1.5}, {\"type\": \"poisson\", \"rate\": 2}],"
                        + " \"emission\": {\"type\": \"poisson\", \"rates\": [[1], [5]]}}", "durations[0].probability: must be in (0, 1]"),
                // templates
                Arguments.of("template", "{\"type\": \"hmm\", \"states\": 3, \"emissions\": \"poisson\"}",
                        "emissions: unknown field; did you mean \"emission\"?"),
                Arguments.of("template", "{\"type\": \"hmm\", \"states\": 0}", "states: must be between 1 and 1000"),
                Arguments.of("template", "{\"type\": \"hmm\", \"emission\": \"poison\"}", "emission: expected one of auto, categorical"),
                Arguments.of("template", "{\"type\": \"rnn\", \"hiddenSize\": \"big\"}", "hiddenSize: expected an integer"),
                Arguments.of("template", "{\"type\": \"local-level\", \"levelVariance\": 1}", "levelVariance: unknown field"),
                // fit options
                Arguments.of("fit-options:" + HMM_POISSON, "{\"learningrate\": 0.1}", "learningrate: unknown field; did you mean \"learningRate\"?"),
                Arguments.of("fit-options:" + HMM_POISSON, "{\"tolerance\": -1}", "tolerance: must be at least 0.0"),
                Arguments.of("fit-options:" + HMM_POISSON, "{\"method\": \"newton\"}", "method: expected one of auto, closed-form"),
                Arguments.of("fit-options:" + HMM_POISSON, "{\"covarianceFloor\": 0}", "covarianceFloor: must be positive"),
                Arguments.of("fit-options:" + CHAIN, "{\"pseudocount\": 1}", "pseudocount: unknown field; did you mean \"pseudoCount\"?"),
                // studies
                Arguments.of("study", "{\"datasets\": [{\"builtin\": \"nile\"}]}", "models: missing field"),
                Arguments.of("study", "{\"datasets\": [{\"buitlin\": \"nile\"}], \"models\": [{\"template\": {\"type\": \"local-level\"}}]}",
                        "datasets[0].buitlin: unknown field; did you mean \"builtin\"?"),
                Arguments.of("study", "{\"datasets\": [{\"builtin\": \"nile\"}], \"split\": {\"by\": \"random\"},"
                        + " \"models\": [{\"template\": {\"type\": \"local-level\"}}]}", "split.by: expected one of time, sequence"),
                Arguments.of("study", "{\"datasets\": [{\"builtin\": \"nile\"}], \"seeds\": [\"one\"],"
                        + " \"models\": [{\"template\": {\"type\": \"local-level\"}}]}", "seeds[0]: expected an integer"),
                Arguments.of("study", "{\"datasets\": [{\"builtin\": \"nile\"}], \"models\": [{\"templat\": {\"type\": \"local-level\"}}]}",
                        "models[0].templat: unknown field; did you mean \"template\"?"),
                // datasets
                Arguments.of("dataset", "{\"sequence\": [{\"observations\": [1]}]}", "sequence: unknown field; did you mean \"sequences\"?"),
                Arguments.of("dataset", "{\"sequences\": [{\"observation\": [1]}]}",
                        "sequences[0].observation: unknown field; did you mean \"observations\"?"),
                Arguments.of("dataset", "{\"observationType\": \"integer\", \"sequences\": [{\"observations\": [1]}]}",
                        "observationType: expected \"symbols\" or \"real\""),
                Arguments.of("dataset", "{\"symbols\": [\"a\"]}", "sequences: missing field"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("bad")
    void badSpecsAreRejectedByTheSchemaAndTheReader(String kind, String json, String readerMessage) {
        JsonNode node = Json.parse(json, "bad");
        assertThat(violations(schemaKind(kind), node)).as("schema violations").isNotEmpty();
        assertThatThrownBy(() -> read(kind, node, "bad")).isInstanceOf(StatespaceException.class)
                .hasMessageContaining(readerMessage);
    }

    private static String schemaKind(String kind) {
        return kind.startsWith("fit-options:") ? "fit-options" : kind;
    }

    // ------------------------------------------------------------------------------------------------
    // the readers

    private static final Dataset REAL = DatasetJson.parse("{\"sequences\": [{\"observations\": [1.5, 2, 0.5, 3, 2.5, 1, 4, 3.5,"
            + " 2, 1.5, 3, 2.5]}, {\"observations\": [2, 3, 1, 2.5, 4, 3, 2, 1.5]}]}", "real");
    private static final Dataset SYMBOLS = DatasetJson.parse("{\"symbols\": [\"a\", \"b\"], \"sequences\": [{\"observations\":"
            + " [\"a\", \"b\", \"b\", \"a\", \"a\", \"b\", \"a\", \"b\"]}]}", "symbols");
    private static final Dataset COUNTS = DatasetJson.parse("{\"support\": \"counts\", \"sequences\": [{\"observations\":"
            + " [1, 0, 3, 2, 5, 4, 0, 1, 2, 6, 3, 1]}]}", "counts");

    private static Object read(String kind, JsonNode node, String source) {
        switch (kind) {
            case "model":
                return ModelSpecs.read(node, source);
            case "template": {
                String type = node.path("type").asText();
                String emission = node.path("emission").asText();
                Dataset data = type.equals("markov-chain") ? SYMBOLS
                        : emission.equals("poisson") || type.equals("hsmm") ? COUNTS : REAL;
                return ModelSpecs.template(SpecNode.root(node, source), data, new Random(7));
            }
            case "study":
                return StudySpec.read(SpecNode.root(node, source), ROOT);
            case "dataset":
                return DatasetJson.parse(Json.write(node), source);
            case "fit-options":
                // a fuzz seed's options: read for the family that has every key, else the trainer's alone
                return FitConfiguration.read(SpecNode.root(node, source), modelFor(node), TrainOptions.defaults());
            default:
                if (kind.startsWith("fit-options:")) {
                    StateSpaceModel<?, ?> model = ModelSpecs.parse(kind.substring("fit-options:".length()), "model");
                    return FitConfiguration.read(SpecNode.root(node, source), model, TrainOptions.defaults());
                }
                throw new IllegalArgumentException(kind);
        }
    }

    /** A model whose family understands every family key of these fit options. */
    private static StateSpaceModel<?, ?> modelFor(JsonNode options) {
        String[] candidates = {HMM_POISSON, CHAIN,
            "{\"type\": \"lgssm\", \"transitionMatrix\": [[1]], \"processNoise\": [[0.1]], \"observationMatrix\": [[1]],"
                + " \"observationNoise\": [[1]], \"initialMean\": [0], \"initialCovariance\": [[10]]}",
            "{\"type\": \"rnn\", \"inputSize\": 1, \"layers\": [{\"cell\": \"gru\", \"hiddenSize\": 2}],"
                + " \"head\": {\"type\": \"gaussian\", \"outputSize\": 1}}"};
        for (String c : candidates) {
            StateSpaceModel<?, ?> m = ModelSpecs.parse(c, "model");
            Fields family = ModelSpecs.type(m.type()).fitFields();
            boolean all = true;
            for (String key : (Iterable<String>) options::fieldNames) {
                all &= TrainOptions.KEYS.contains(key) || (family != null && family.names().contains(key));
            }
            if (all) {
                return m;
            }
        }
        throw new AssertionError("no family takes every key of " + options);
    }

    private static void assertThatReaderAccepts(String kind, JsonNode node, String source) {
        try {
            assertThat(read(kind, node, source)).isNotNull();
        } catch (StatespaceException e) {
            throw new AssertionError(source + ": the schema accepts it but the reader does not: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // defaults: a declared default given explicitly reads as the same model as leaving it out

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("good")
    void declaredDefaultsAreTheReadersDefaults(String kind, String json) {
        if (!kind.equals("model") && !kind.equals("template")) {
            return;
        }
        JsonNode node = Json.parse(json, "good");
        List<ObjectNode> variants = defaultVariants(kind, node);
        String expected = ModelSpecs.write((StateSpaceModel<?, ?>) read(kind, node, "without"));
        for (ObjectNode v : variants) {
            assertThat(ModelSpecs.write((StateSpaceModel<?, ?>) read(kind, v, "with"))).as("with defaults written out: %s", v)
                    .isEqualTo(expected);
        }
    }

    /** One copy of a model spec or template per declared default it leaves out, with that default written in. */
    private static List<ObjectNode> defaultVariants(String kind, JsonNode node) {
        String type = node.get("type").asText();
        Fields declared = kind.equals("model") ? ModelSpecs.type(type).specFields(type)
                : ModelSpecs.type(type).templateSpecFields(type);
        List<ObjectNode> variants = new ArrayList<>();
        withDefaults((ObjectNode) node, declared, (ObjectNode) node, variants);
        return variants;
    }

    /** One copy of {@code root} per absent defaulted field (at any depth), with that field set to its default. */
    private static void withDefaults(ObjectNode root, Fields declared, ObjectNode at, List<ObjectNode> out) {
        for (Field f : declared.fields()) {
            JsonNode v = at.get(f.name());
            if (v == null && f.defaultValue() != null) {
                at.set(f.name(), f.defaultValue());
                out.add(root.deepCopy());
                at.remove(f.name());
            } else if (v != null && v.isObject()) {
                for (Fields inner : f.shape().nested()) {
                    if (matches(inner, v)) {
                        withDefaults(root, inner, (ObjectNode) v, out);
                    }
                }
            }
        }
    }

    private static boolean matches(Fields declared, JsonNode value) {
        return declared.find("type").map(t -> t.shape().choices().contains(value.path("type").asText())).orElse(true);
    }

    @Test
    void theDefaultsCheckIsNotVacuous() {
        // the defaults test above is not vacuous: the table's specs leave out declared defaults
        int variants = 0;
        for (Arguments a : good().toList()) {
            String kind = (String) a.get()[0];
            if (kind.equals("model") || kind.equals("template")) {
                variants += defaultVariants(kind, Json.parse((String) a.get()[1], "good")).size();
            }
        }
        assertThat(variants).isGreaterThanOrEqualTo(25);
    }

    // ------------------------------------------------------------------------------------------------

    @Test
    void theFamiliesAcceptedFieldListsAreTheirDeclarations() {
        for (String name : ModelSpecs.typeNames()) {
            var type = ModelSpecs.type(name);
            Fields template = type.templateSpecFields(name);
            assertThat(type.templateFields()).as(name).isEqualTo(template == null ? List.of() : template.namesButType());
            Fields fit = type.fitFields();
            assertThat(type.fitSettingNames()).as(name).isEqualTo(fit == null ? List.of() : fit.names());
            assertThat(type.specFields(name).open()).as("%s declares its spec fields", name).isFalse();
        }
        assertThat(org.statespace.inference.TrainFields.FIELDS.names()).isEqualTo(TrainOptions.KEYS);
    }

    @Test
    void theReferencePageIsUpToDate() throws IOException {
        Path page = ROOT.resolve("docs/spec-reference.md");
        String expected = SchemaCommand.referencePage();
        assertThat(page).as("docs/spec-reference.md; generate it with: ./statespace schema --markdown --out docs/spec-reference.md")
                .exists();
        assertThat(Files.readString(page)).as("docs/spec-reference.md is out of date with the declarations; regenerate it "
                + "with: ./statespace schema --markdown --out docs/spec-reference.md").isEqualTo(expected);
        // it lists every field of every type
        for (String name : ModelSpecs.typeNames()) {
            for (String field : ModelSpecs.type(name).specFields(name).names()) {
                assertThat(expected).contains("| `" + field + "` |");
            }
        }
    }

    @Test
    void schemaCommandListsPrintsAndWrites() throws IOException {
        CliRunner list = CliRunner.run("schema");
        assertThat(list.exitCode()).as(list.err()).isZero();
        for (String kind : CATALOG.kinds()) {
            assertThat(list.out()).containsPattern("(?m)^" + Pattern.quote(kind) + " ");
        }
        CliRunner hmm = CliRunner.run("schema", "hmm");
        assertThat(hmm.exitCode()).as(hmm.err()).isZero();
        assertThat(hmm.out()).isEqualTo(Json.write(CATALOG.document("hmm")));
        JsonNode printed = Json.parse(hmm.out(), "stdout");
        assertThat(printed.at("/$defs/model-hmm/properties/emission/description").asText()).isNotEmpty();
        Path dir = Files.createTempDirectory("statespace-schema");
        try {
            Path out = dir.resolve("study.json");
            CliRunner w = CliRunner.run("schema", "study", "--out", out.toString());
            assertThat(w.exitCode()).as(w.err()).isZero();
            assertThat(w.out()).isEmpty();
            assertThat(Files.readString(out)).isEqualTo(Json.write(CATALOG.document("study")));
            Path md = dir.resolve("ref.md");
            CliRunner m = CliRunner.run("schema", "--markdown", "--out", md.toString());
            assertThat(m.exitCode()).as(m.err()).isZero();
            assertThat(Files.readString(md)).isEqualTo(SchemaCommand.referencePage());
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

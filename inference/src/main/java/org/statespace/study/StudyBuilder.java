package org.statespace.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.SpecException;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.inference.TrainOptions;
import org.statespace.spec.Json;
import org.statespace.spec.ModelTemplate;
import org.statespace.spec.SpecNode;

/**
 * A comparative study built in code rather than read from a file: datasets held in memory, models given as
 * templates ({@link ModelTemplate}) or starting models, each fitted on the training part and scored on the
 * held-out part on the same metrics ({@link Study}).
 *
 * <pre>{@code
 * StudyResult result = Study.builder()
 *         .dataset("nile", nile)
 *         .model("hmm", HiddenMarkovModel.gaussian(2))
 *         .model("local-level", StructuralModel.localLevel())
 *         .model("gru", RnnModel.gru(8), TrainOptions.defaults().withMaxIterations(30))
 *         .run();
 * String table = result.toConsole();
 * }</pre>
 *
 * The builder writes the same JSON a study file holds ({@link #toJson()}) and reads it with {@link StudySpec},
 * so a study built here checks its names, split and seeds as a file's would. Builders are not thread-safe;
 * each call returns this builder.
 */
public final class StudyBuilder {
    private String name = "study";
    private final Map<String, Dataset> data = new LinkedHashMap<>();
    private final ArrayNode models = Json.array();
    private ObjectNode split;
    private final List<Long> seeds = new ArrayList<>();
    private int threads = Runtime.getRuntime().availableProcessors();

    StudyBuilder() {
    }

    /** The study's name (in results and reports; "study" by default). */
    public StudyBuilder name(String studyName) {
        this.name = studyName;
        return this;
    }

    /** A dataset held in memory, named for the results. */
    public StudyBuilder dataset(String datasetName, Dataset dataset) {
        if (data.containsKey(datasetName)) {
            throw new SpecException("study", "datasets", "two datasets are named \"" + datasetName + "\"");
        }
        data.put(datasetName, java.util.Objects.requireNonNull(dataset, "dataset"));
        return this;
    }

    /** A model started from a template sized by each dataset, fitted with the default options. */
    public StudyBuilder model(String modelName, ModelTemplate<?> template) {
        return entry(modelName, "template", template.toJson(), Json.object());
    }

    /** A model started from a template, fitted with the given options (the study's seed replaces theirs). */
    public StudyBuilder model(String modelName, ModelTemplate<?> template, TrainOptions options) {
        return entry(modelName, "template", template.toJson(), options.toJson());
    }

    /**
     * A model started from a template, fitted with fit options as a study file gives them, family settings
     * included (e.g. {@code {"maxIterations": 200, "pseudoCount": 1}}).
     */
    public StudyBuilder model(String modelName, ModelTemplate<?> template, ObjectNode fitOptions) {
        return entry(modelName, "template", template.toJson(), fitOptions.deepCopy());
    }

    /** A model fitted from a full starting model with the default options. */
    public StudyBuilder model(String modelName, StateSpaceModel<?, ?> start) {
        return entry(modelName, "init", start.toSpec(), Json.object());
    }

    /** A model fitted from a full starting model with the given options. */
    public StudyBuilder model(String modelName, StateSpaceModel<?, ?> start, TrainOptions options) {
        return entry(modelName, "init", start.toSpec(), options.toJson());
    }

    /** A model scored as given, not fitted (a known true model, a baseline). */
    public StudyBuilder fixedModel(String modelName, StateSpaceModel<?, ?> model) {
        ObjectNode m = models.addObject();
        m.put("name", modelName);
        m.set("init", model.toSpec());
        m.put("fit", false);
        return this;
    }

    private StudyBuilder entry(String modelName, String field, ObjectNode spec, ObjectNode fit) {
        ObjectNode m = models.addObject();
        m.put("name", modelName);
        m.set(field, spec);
        m.set("fit", fit);
        return this;
    }

    /** Holds out the end of every sequence: the first {@code train} fraction of each is fitted (default 0.7). */
    public StudyBuilder splitInTime(double train) {
        split = Json.object();
        split.put("train", train);
        split.put("by", "time");
        return this;
    }

    /** Holds out whole sequences: a {@code train} fraction of them is fitted. */
    public StudyBuilder splitBySequence(double train) {
        split = Json.object();
        split.put("train", train);
        split.put("by", "sequence");
        return this;
    }

    /** The seeds; every model is fitted once per seed (default: seed 1). */
    public StudyBuilder seeds(long... values) {
        seeds.clear();
        for (long s : values) {
            seeds.add(s);
        }
        return this;
    }

    /** Threads for filtering and E-steps (results do not depend on it; default: all cores). */
    public StudyBuilder threads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + count);
        }
        this.threads = count;
        return this;
    }

    /** The study as the JSON of a study file (datasets named as built-in datasets this builder resolves). */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("name", name);
        ArrayNode d = o.putArray("datasets");
        for (String n : data.keySet()) {
            d.addObject().put("name", n).put("builtin", n);
        }
        if (split != null) {
            o.set("split", split.deepCopy());
        }
        if (!seeds.isEmpty()) {
            ArrayNode s = o.putArray("seeds");
            seeds.forEach(s::add);
        }
        o.set("models", models.deepCopy());
        return o;
    }

    /** The study's spec, checked as a study file is ({@link StudySpec#read(SpecNode, java.nio.file.Path)}). */
    public StudySpec spec() {
        return StudySpec.read(SpecNode.root(toJson(), "study " + name), null);
    }

    /** The in-memory datasets as a resolver. */
    public DatasetResolver resolver() {
        Map<String, Dataset> copy = new LinkedHashMap<>(data);
        return new DatasetResolver() {
            @Override
            public Dataset builtin(String datasetName) {
                Dataset found = copy.get(datasetName);
                if (found == null) {
                    throw new SpecException("study", "datasets", "no dataset named \"" + datasetName + "\"");
                }
                return found;
            }

            @Override
            public Optional<StudySpec.Split> defaultSplit(String datasetName) {
                return Optional.empty();
            }

            @Override
            public List<String> names() {
                return List.copyOf(copy.keySet());
            }
        };
    }

    /**
     * Runs the study: every model on every dataset and seed, fitted on the training part and scored on the
     * held-out part. A model that does not apply to a dataset is skipped and one that fails is reported as
     * failed (see {@link Study}); neither stops the study.
     */
    public StudyResult run() {
        return Study.run(spec(), resolver(), threads, StudyListener.NONE);
    }
}

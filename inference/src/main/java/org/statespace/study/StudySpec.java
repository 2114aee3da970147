package org.statespace.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.statespace.spec.Json;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/**
 * A comparative study: models × datasets × seeds.
 *
 * <pre>{@code
 * {"name": "nile-vs-all",
 *  "datasets": [{"name": "nile", "builtin": "nile"}, {"name": "mine", "path": "d.json"}],
 *  "split": {"train": 0.7, "by": "time"},
 *  "seeds": [1, 2, 3],
 *  "models": [{"name": "kalman-ll", "init": {"type": "local-level", ...}, "fit": {"maxIterations": 200}},
 *             {"name": "gru", "template": {"type": "rnn", "cell": "gru", "hiddenSize": 16},
 *              "fit": {"epochs": 50, "optimizer": "adam"}, "datasets": ["mine"]}]}
 * }</pre>
 *
 * A model gives either a full spec ({@code "init"}) or a {@code "template"} that its family sizes from
 * each dataset; {@code "datasets"} optionally limits it to some datasets; {@code "fit": false} scores a
 * full spec as given (a known true model, a baseline). The split holds out the end
 * of every sequence ({@code "by": "time"}, the default) or whole sequences ({@code "by": "sequence"}).
 * Which split a dataset gets ({@link #splitFor}): its entry's own {@code "split"}, else the study-wide
 * {@code "split"}, else the split a built-in dataset suggests, else 70% by time. Paths are relative to the
 * study file.
 *
 * <p>How held-out predictions are scored ({@link Scoring}): {@code "levels"} the central interval levels
 * whose coverage is counted (default {@code [0.5, 0.8, 0.95]}), {@code "significance"} the level of the
 * paired test that marks a best model (default 0.05), and {@code "burn"} the number of first steps of
 * every held-out part left out of every score (default 0; steps in the diffuse period of an exact
 * diffuse start are always left out).
 *
 * @param name     the study's name
 * @param datasets the datasets
 * @param split    the default split
 * @param seeds    seeds; every pair is fitted once per seed
 * @param models   the models
 * @param scoring  how predictions are scored
 * @param json     the spec as given (recorded in results)
 */
public record StudySpec(String name, List<DatasetEntry> datasets, Split split, List<Long> seeds,
        List<ModelEntry> models, Scoring scoring, JsonNode json) {

    /**
     * How held-out predictions are scored.
     *
     * @param levels       central predictive interval levels whose coverage is counted, each in (0, 1)
     * @param significance the level at which a paired test must reject equal scores to mark a best model
     * @param burn         first steps of every held-out part left out of every score
     */
    public record Scoring(double[] levels, double significance, int burn) {
        public Scoring {
            levels = levels.clone();
            for (double l : levels) {
                if (!(l > 0 && l < 1)) {
                    throw new IllegalArgumentException("a coverage level must be in (0, 1), got " + l);
                }
            }
            if (!(significance > 0 && significance < 1)) {
                throw new IllegalArgumentException("significance must be in (0, 1), got " + significance);
            }
            if (burn < 0) {
                throw new IllegalArgumentException("burn must be at least 0, got " + burn);
            }
        }

        /** Levels 50/80/95%, significance 5%, no burn-in. */
        public static Scoring defaults() {
            return new Scoring(org.statespace.distribution.Scores.defaultCoverageLevels(), 0.05, 0);
        }

        @Override
        public double[] levels() {
            return levels.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Scoring x && java.util.Arrays.equals(levels, x.levels)
                    && Double.compare(significance, x.significance) == 0 && burn == x.burn;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(java.util.Arrays.hashCode(levels), significance, burn);
        }

        @Override
        public String toString() {
            return "Scoring[levels=" + java.util.Arrays.toString(levels) + ", significance=" + significance
                    + ", burn=" + burn + "]";
        }
    }

    /** How to hold out data. */
    public record Split(double train, boolean bySequence) {
        public Split {
            if (!(train > 0 && train < 1)) {
                throw new IllegalArgumentException("train fraction must be in (0, 1), got " + train);
            }
        }

        /** 70% for training, the end of each sequence held out. */
        public static Split defaults() {
            return new Split(0.7, false);
        }
    }

    /** A dataset: built in, or a file. */
    public record DatasetEntry(String name, String builtin, Path path, Optional<Split> split) {
    }

    /**
     * A model: a full spec or a template, fit options ({@code null} when {@code "fit": false}: the
     * model is scored as given, e.g. the true model of simulated data), and optionally the datasets it
     * applies to.
     */
    public record ModelEntry(String name, SpecNode init, SpecNode template, SpecNode fit, List<String> datasets) {

        /** Whether the model is fitted before it is scored. */
        public boolean fitted() {
            return fit != null;
        }

        /** The entry's JSON spec, or its template. */
        public SpecNode start() {
            return init != null ? init : template;
        }
    }

    /**
     * The split a dataset gets: its entry's own, else the study-wide {@code "split"} (when the study gives
     * one), else the split the built-in dataset suggests ({@link DatasetResolver#defaultSplit}), else
     * {@link Split#defaults()}.
     */
    public Split splitFor(DatasetEntry dataset, DatasetResolver resolver) {
        if (dataset.split().isPresent()) {
            return dataset.split().get();
        }
        if (json != null && json.has("split")) {
            return split;
        }
        if (dataset.builtin() != null && resolver != null) {
            Optional<Split> suggested = resolver.defaultSplit(dataset.builtin());
            if (suggested.isPresent()) {
                return suggested.get();
            }
        }
        return split;
    }

    public StudySpec {
        datasets = List.copyOf(datasets);
        seeds = List.copyOf(seeds);
        models = List.copyOf(models);
    }

    /** Reads a study file; relative dataset paths resolve against its folder. */
    public static StudySpec read(Path file) {
        Path base = file.toAbsolutePath().getParent();
        return read(SpecNode.root(Json.read(file), file.toString()), base);
    }

    /** Reads a study from JSON text. */
    public static StudySpec parse(String json, String source, Path base) {
        return read(SpecNode.root(Json.parse(json, source), source), base);
    }

    /**
     * A model or dataset name becomes part of file names (curves/, fitted/, plots/): it must not be empty,
     * and two names may not give the same file name ({@code a/b} and {@code a_b}; {@code A} and {@code a},
     * which a case-insensitive file system holds as one), or one run's files would overwrite the other's.
     */
    private static void requireFileName(SpecNode entry, String name, Map<String, String> seen, String what) {
        if (name.isBlank()) {
            throw entry.errorAt("name", "a " + what + " name must not be empty (it names the result files)");
        }
        String file = StudyRow.safe(name).toLowerCase(Locale.ROOT);
        String other = seen.putIfAbsent(file, name);
        if (other != null) {
            throw entry.errorAt("name", "the " + what + " names \"" + other + "\" and \"" + name
                    + "\" give the same file name \"" + StudyRow.safe(name) + "\"; rename one");
        }
    }

    /** Reads a study at a node. */
    public static StudySpec read(SpecNode root, Path base) {
        root.requireObject(StudyFields.STUDY);
        String name = root.optional("name").map(SpecNode::asText).orElse("study");
        if (root.has("description")) {
            root.field("description").asText();
        }
        Split split = root.optional("split").map(StudySpec::readSplit).orElse(Split.defaults());
        List<DatasetEntry> datasets = new ArrayList<>();
        Set<String> datasetNames = new HashSet<>();
        Map<String, String> datasetFiles = new HashMap<>();
        for (SpecNode d : root.field("datasets").nonEmptyElements()) {
            d.requireObject(StudyFields.DATASET);
            boolean builtin = d.has("builtin");
            boolean path = d.has("path");
            if (builtin == path) {
                throw d.error("give exactly one of \"builtin\" and \"path\"");
            }
            String b = builtin ? d.field("builtin").asText() : null;
            Path p = path ? resolve(base, d.field("path")) : null;
            String n = d.optional("name").map(SpecNode::asText)
                    .orElse(builtin ? b : p.getFileName() == null ? p.toString() : p.getFileName().toString());
            if (!datasetNames.add(n)) {
                throw d.errorAt("name", "two datasets are named \"" + n + "\"");
            }
            requireFileName(d, n, datasetFiles, "dataset");
            datasets.add(new DatasetEntry(n, b, p, d.optional("split").map(StudySpec::readSplit)));
        }
        List<Long> seeds = new ArrayList<>();
        if (root.has("seeds")) {
            for (SpecNode s : root.field("seeds").nonEmptyElements()) {
                long seed = s.asLong();
                if (seeds.contains(seed)) {
                    throw s.error("seed " + seed + " appears twice");
                }
                seeds.add(seed);
            }
        } else {
            seeds.add(1L);
        }
        List<ModelEntry> models = new ArrayList<>();
        Set<String> modelNames = new HashSet<>();
        Map<String, String> modelFiles = new HashMap<>();
        for (SpecNode m : root.field("models").nonEmptyElements()) {
            m.requireObject(StudyFields.MODEL);
            boolean init = m.has("init");
            boolean template = m.has("template");
            if (init == template) {
                throw m.error("give exactly one of \"init\" (a full model spec) and \"template\"");
            }
            SpecNode start = init ? m.field("init") : m.field("template");
            if (!start.json().isObject()) {
                throw start.error("expected a model spec object with a \"type\", got " + SpecNode.describe(start.json()));
            }
            ModelSpecs.type(start.field("type"));
            String n = m.optional("name").map(SpecNode::asText).orElse(start.field("type").asText());
            if (!modelNames.add(n)) {
                throw m.errorAt("name", "two models are named \"" + n + "\"");
            }
            requireFileName(m, n, modelFiles, "model");
            SpecNode fit = m.optional("fit").orElse(SpecNode.root(Json.object(), root.source()).relocated(
                    m.path() + ".fit"));
            if (fit.json().isBoolean()) {
                if (fit.json().booleanValue()) {
                    fit = SpecNode.root(Json.object(), root.source()).relocated(m.path() + ".fit");
                } else if (template) {
                    throw fit.error("a template is a starting point and must be fitted; \"fit\": false needs a full \"init\" spec");
                } else {
                    fit = null;
                }
            } else if (!fit.json().isObject()) {
                throw fit.error("expected an object of fit options (or false to score the model as given), got "
                        + SpecNode.describe(fit.json()));
            }
            List<String> only = List.of();
            if (m.has("datasets")) {
                SpecNode list = m.field("datasets");
                only = list.asTextList();
                for (int i = 0; i < only.size(); i++) {
                    if (!datasetNames.contains(only.get(i))) {
                        throw list.elements().get(i).error("no dataset named \"" + only.get(i) + "\" in this study");
                    }
                }
            }
            models.add(new ModelEntry(n, init ? start : null, template ? start : null, fit, only));
        }
        return new StudySpec(name, datasets, split, seeds, models, readScoring(root), root.json());
    }

    private static Scoring readScoring(SpecNode root) {
        Scoring d = Scoring.defaults();
        double[] levels = d.levels();
        if (root.has("levels")) {
            List<SpecNode> list = root.field("levels").nonEmptyElements();
            levels = new double[list.size()];
            for (int i = 0; i < levels.length; i++) {
                double l = list.get(i).asDouble();
                if (!(l > 0 && l < 1)) {
                    throw list.get(i).error("a central interval level must be between 0 and 1 (exclusive), got " + l);
                }
                for (int k = 0; k < i; k++) {
                    if (levels[k] == l) {
                        throw list.get(i).error("level " + l + " appears twice");
                    }
                }
                levels[i] = l;
            }
        }
        double significance = d.significance();
        if (root.has("significance")) {
            SpecNode n = root.field("significance");
            significance = n.asDouble();
            if (!(significance > 0 && significance < 1)) {
                throw n.error("must be between 0 and 1 (exclusive), got " + significance);
            }
        }
        int burn = 0;
        if (root.has("burn")) {
            SpecNode n = root.field("burn");
            long b = n.asLong();
            if (b < 0 || b > Integer.MAX_VALUE) {
                throw n.error("must be a number of steps, at least 0, got " + b);
            }
            burn = (int) b;
        }
        return new Scoring(levels, significance, burn);
    }

    private static Split readSplit(SpecNode s) {
        s.requireObject(StudyFields.SPLIT);
        double train = 0.7;
        if (s.has("train")) {
            SpecNode t = s.field("train");
            train = t.asDouble();
            if (!(train > 0 && train < 1)) {
                throw t.error("must be between 0 and 1 (exclusive), got " + train);
            }
        }
        boolean bySequence = s.optional("by").map(b -> b.asChoice("time", "sequence")).orElse("time").equals("sequence");
        return new Split(train, bySequence);
    }

    private static Path resolve(Path base, SpecNode node) {
        String path = node.asText();
        if (path.isBlank()) {
            throw node.error("an empty path");
        }
        Path p;
        try {
            p = Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw node.error("not a valid file path (" + e.getReason() + ")");
        }
        return p.isAbsolute() || base == null ? p : base.resolve(p).normalize();
    }
}

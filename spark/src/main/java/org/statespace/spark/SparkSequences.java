package org.statespace.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.statespace.DataException;
import org.statespace.ObservationSpace;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.DatasetJson;
import org.statespace.data.Sequence;
import org.statespace.spec.ModelSpecs;

import scala.Tuple2;

/**
 * Reads a dataset into Spark partitions by sequence, without collecting it to the driver. Three layouts:
 * <ul>
 *   <li><b>JSON Lines</b> ({@code .jsonl}, {@code .ndjson}, or a folder of them): one sequence per line,
 *       written as one entry of the JSON dataset format's {@code "sequences"} list, e.g.
 *       {@code {"id": "s1", "observations": [0.5, null, 1.2], "inputs": [[1], [0], [1]]}};</li>
 *   <li><b>CSV</b> (a {@code .csv} file or a folder of them): each file as the command line reads one
 *       (one row per step, a {@code sequence} column when a file holds several);</li>
 *   <li><b>Parquet</b> ({@code .parquet} or a folder of Parquet parts): one row per step, a sequence-id
 *       column (default {@code sequence}) and a step column (default {@code step}) that orders a
 *       sequence's rows; the other columns follow the CSV conventions ({@code symbol}, {@code input1},
 *       ..., any other numeric column an observation component).</li>
 * </ul>
 * Every sequence is matched to the model's observation space as the command line does (symbols by name),
 * and every error names the file and the line or sequence. The result is cached in memory; sequence
 * positions follow file order (JSON Lines, CSV) or the sorted sequence ids (Parquet).
 */
public final class SparkSequences {
    private SparkSequences() {
    }

    /** Where the data are and how they are laid out. */
    public enum Layout {
        JSON_LINES, CSV, PARQUET;

        /** The layout a path's name or folder content says. */
        public static Layout of(String path) {
            String p = path.toLowerCase(Locale.ROOT);
            if (p.endsWith(".jsonl") || p.endsWith(".ndjson")) {
                return JSON_LINES;
            }
            if (p.endsWith(".csv")) {
                return CSV;
            }
            if (p.endsWith(".parquet")) {
                return PARQUET;
            }
            Path dir = isLocal(path) ? Path.of(stripFileScheme(path)) : null;
            if (dir != null && Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    List<String> names = files.map(f -> f.getFileName().toString().toLowerCase(Locale.ROOT)).toList();
                    if (names.stream().anyMatch(n -> n.endsWith(".parquet"))) {
                        return PARQUET;
                    }
                    if (names.stream().anyMatch(n -> n.endsWith(".jsonl") || n.endsWith(".ndjson"))) {
                        return JSON_LINES;
                    }
                    if (names.stream().anyMatch(n -> n.endsWith(".csv"))) {
                        return CSV;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            throw new DataException(path + ": cannot tell the data layout; name a .jsonl/.ndjson, .csv or .parquet "
                    + "file, or a folder of such files" + (dir == null ? " (a remote folder must end in one of these)" : ""));
        }
    }

    /** Whether a path is on this machine's file system (no scheme, or file:), so it can be checked here. */
    static boolean isLocal(String path) {
        int colon = path.indexOf(':');
        int slash = path.indexOf('/');
        return colon < 0 || (slash >= 0 && slash < colon) || path.startsWith("file:");
    }

    private static String stripFileScheme(String path) {
        return path.startsWith("file://") ? path.substring(7) : path.startsWith("file:") ? path.substring(5) : path;
    }

    /** Options of the Parquet layout. */
    public record ParquetColumns(String sequence, String step) {
        public static ParquetColumns defaults() {
            return new ParquetColumns("sequence", "step");
        }
    }

    /** The observation space of a model given by its spec (tasks carry specs, not model objects). */
    static ObservationSpace space(String modelSpec) {
        return ModelSpecs.parse(modelSpec, "model").observationSpace();
    }

    /**
     * Reads the sequences at {@code path} for the model whose spec is {@code model} (JSON text), in
     * {@code partitions} partitions (0: Spark's choice), cached in memory.
     */
    public static JavaRDD<IndexedSequence> read(SparkSession spark, String path, String model,
            int partitions, ParquetColumns columns) {
        if (isLocal(path) && !Files.exists(Path.of(stripFileScheme(path)))) {
            throw new DataException(path + ": no such file or folder");
        }
        Layout layout = Layout.of(path);
        JavaRDD<Sequence> parsed = switch (layout) {
            case JSON_LINES -> jsonLines(spark, path, model, partitions);
            case CSV -> csv(spark, path, model, partitions);
            case PARQUET -> parquet(spark, path, model, partitions, columns);
        };
        parsed.persist(StorageLevel.MEMORY_ONLY());
        JavaRDD<IndexedSequence> indexed = parsed.zipWithIndex()
                .map(t -> new IndexedSequence(t._2(), t._1()));
        indexed.persist(StorageLevel.MEMORY_ONLY());
        if (indexed.count() == 0) {
            throw new DataException(path + ": no sequences");
        }
        parsed.unpersist(false);
        return indexed;
    }

    /**
     * The shape of the data at {@code path} (kind, dimension, inputs, alphabet), as one of its sequences read
     * without a model: what sizes a template before the data are read for it. Reads one record on the driver;
     * for symbols, the alphabet is every symbol of the data, gathered by one Spark job ({@link #alphabet}).
     */
    public static Dataset shape(SparkSession spark, String path, int partitions, ParquetColumns columns) {
        if (isLocal(path) && !Files.exists(Path.of(stripFileScheme(path)))) {
            throw new DataException(path + ": no such file or folder");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Layout layout = Layout.of(path);
        return switch (layout) {
            case JSON_LINES -> {
                List<String> line = sc.textFile(path).filter(l -> !l.isBlank()).take(1);
                if (line.isEmpty()) {
                    throw new DataException(path + ": no sequences");
                }
                String source = fileName(path) + " line 1";
                String text = line.get(0).strip();
                // a line names its symbols without a list of them (it has no header): the list is the data's
                List<String> names = jsonNames(text, source).isEmpty() ? List.of()
                        : alphabet(spark, path, layout, partitions, columns);
                yield DatasetJson.parseSequence(text, names, source);
            }
            case CSV -> {
                List<Tuple2<String, String>> file = sc.wholeTextFiles(path).sortByKey().take(1);
                if (file.isEmpty()) {
                    throw new DataException(path + ": no sequences");
                }
                String source = fileName(file.get(0)._1());
                Dataset d = DatasetCsv.parse(file.get(0)._2(), source);
                yield symbolic(d.withSequences(List.of(d.sequence(0))), spark, path, layout, partitions, columns, source);
            }
            case PARQUET -> {
                Dataset d = rawParquet(spark, path, partitions, columns).first();
                yield symbolic(d, spark, path, layout, partitions, columns, fileName(path));
            }
        };
    }

    // a one-sequence dataset of symbols matched to the alphabet of the whole data; real values as they are
    private static Dataset symbolic(Dataset first, SparkSession spark, String path, Layout layout, int partitions,
            ParquetColumns columns, String source) {
        if (first.kind() != org.statespace.data.ObservationKind.SYMBOLS) {
            return first;
        }
        List<String> alphabet = alphabet(spark, path, layout, partitions, columns);
        return ObservationSpace.symbols(alphabet.size(), alphabet).align(first, source);
    }

    /**
     * The alphabet of symbolic data: every symbol named in them, in order of first appearance (dataset order:
     * file by file in name order, row by row; JSON Lines line by line; Parquet sequence by sequence in id order),
     * then by the command line's rule for a CSV file ({@link DatasetCsv#alphabet}: "0".."max" when every name is
     * an integer). One Spark job: each partition lists its symbols in order of first appearance, and only those
     * lists, never the data, come to the driver, where they are joined in partition order.
     */
    static List<String> alphabet(SparkSession spark, String path, Layout layout, int partitions,
            ParquetColumns columns) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String name = fileName(path);
        JavaRDD<List<String>> names = switch (layout) {
            case JSON_LINES -> (partitions > 0 ? sc.textFile(path, partitions) : sc.textFile(path)).zipWithIndex()
                    .map(t -> t._1().isBlank() ? List.<String>of() : jsonNames(t._1().strip(), name + " line " + (t._2() + 1)));
            case CSV -> sortedFiles(sc, path, partitions).map(t -> namesInOrder(DatasetCsv.parse(t._2(), Path.of(new java.net.URI(t._1()).getPath())
                            .getFileName().toString())));
            case PARQUET -> rawParquet(spark, path, partitions, columns).map(SparkSequences::namesInOrder);
        };
        List<Tuple2<Integer, List<String>>> parts = names.mapPartitionsWithIndex((index, it) -> {
            java.util.LinkedHashSet<String> seen = new java.util.LinkedHashSet<>();
            it.forEachRemaining(seen::addAll);
            return List.of(new Tuple2<Integer, List<String>>(index, new ArrayList<>(seen))).iterator();
        }, true).collect();
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        parts.stream().sorted(java.util.Comparator.comparing(Tuple2::_1)).forEach(t -> all.addAll(t._2()));
        try {
            return DatasetCsv.alphabet(new ArrayList<>(all));
        } catch (DataException e) {
            throw new DataException(path + ": " + e.getMessage());
        }
    }

    // the symbols of a dataset in order of first appearance, sequence by sequence (none for real values)
    private static List<String> namesInOrder(Dataset d) {
        if (d.kind() != org.statespace.data.ObservationKind.SYMBOLS) {
            return List.of();
        }
        List<String> alphabet = d.symbolNames();
        java.util.LinkedHashSet<String> seen = new java.util.LinkedHashSet<>();
        for (Sequence s : d.sequences()) {
            for (int t = s.firstStep(); t < s.firstStep() + s.length(); t++) {
                double v = s.value(t, 0);
                if (!Double.isNaN(v)) {
                    seen.add(alphabet.get((int) v));
                }
            }
        }
        return new ArrayList<>(seen);
    }

    // the symbol names a JSON Lines sequence gives (strings among its observations), in order of first appearance
    private static List<String> jsonNames(String line, String source) {
        com.fasterxml.jackson.databind.JsonNode node = org.statespace.spec.Json.parse(line, source);
        com.fasterxml.jackson.databind.JsonNode obs = node.path("observations");
        java.util.LinkedHashSet<String> seen = new java.util.LinkedHashSet<>();
        for (com.fasterxml.jackson.databind.JsonNode o : obs) {
            if (o.isTextual()) {
                seen.add(o.asText());
            }
        }
        return new ArrayList<>(seen);
    }

    private static JavaRDD<Sequence> jsonLines(SparkSession spark, String path, String model,
            int partitions) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<String> lines = partitions > 0 ? sc.textFile(path, partitions) : sc.textFile(path);
        String name = fileName(path);
        return lines.zipWithIndex().mapPartitions((Iterator<Tuple2<String, Long>> it) -> {
            ObservationSpace space = space(model);
            List<Sequence> out = new ArrayList<>();
            while (it.hasNext()) {
                Tuple2<String, Long> line = it.next();
                String text = line._1().strip();
                if (text.isEmpty()) {
                    continue;
                }
                String source = name + " line " + (line._2() + 1);
                // names in a line are read against the model's alphabet
                Dataset one = DatasetJson.parseSequence(text, space.symbolNames(), source);
                out.add(space.align(one, source).sequence(0));
            }
            return out.iterator();
        });
    }

    // the CSV files at path as (name, text), in name order
    private static org.apache.spark.api.java.JavaPairRDD<String, String> sortedFiles(JavaSparkContext sc, String path,
            int partitions) {
        var files = partitions > 0 ? sc.wholeTextFiles(path, partitions) : sc.wholeTextFiles(path);
        return files.sortByKey(true, partitions > 0 ? partitions : files.getNumPartitions());
    }

    private static JavaRDD<Sequence> csv(SparkSession spark, String path, String model, int partitions) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return sortedFiles(sc, path, partitions).flatMap(t -> {
                    String source = Path.of(new java.net.URI(t._1()).getPath()).getFileName().toString();
                    Dataset d = space(model).align(DatasetCsv.parse(t._2(), source), source);
                    return d.sequences().iterator();
                });
    }

    private static JavaRDD<Sequence> parquet(SparkSession spark, String path, String model,
            int partitions, ParquetColumns columns) {
        return rawParquet(spark, path, partitions, columns).map(d -> {
            String source = fileName(path) + " sequence '" + d.sequence(0).id() + "'";
            return space(model).align(d, source).sequence(0);
        });
    }

    // each sequence of a Parquet layout as a one-sequence dataset read by itself (symbols in its own alphabet)
    private static JavaRDD<Dataset> rawParquet(SparkSession spark, String path, int partitions, ParquetColumns columns) {
        var frame = spark.read().parquet(path);
        List<String> names = Arrays.asList(frame.columns());
        for (String required : List.of(columns.sequence(), columns.step())) {
            if (!names.contains(required)) {
                throw new DataException(path + ": no column '" + required + "' (columns: " + String.join(", ", names)
                        + "); name the sequence-id and step columns with --sequence-column and --step-column");
            }
        }
        List<String> valueColumns = names.stream()
                .filter(c -> !c.equals(columns.sequence()) && !c.equals(columns.step())).toList();
        if (valueColumns.isEmpty()) {
            throw new DataException(path + ": no observation column besides '" + columns.sequence() + "' and '"
                    + columns.step() + "'");
        }
        String header = String.join(",", valueColumns);
        String file = fileName(path);
        String seqCol = columns.sequence();
        String stepCol = columns.step();
        JavaRDD<Row> rowsRdd = frame.javaRDD();
        int parts = partitions > 0 ? partitions : rowsRdd.getNumPartitions();
        var byId = rowsRdd.keyBy(r -> String.valueOf(r.get(r.fieldIndex(seqCol)))).groupByKey(parts).sortByKey(true, parts);
        return byId.map(group -> {
            List<Row> rows = new ArrayList<>();
            group._2().forEach(rows::add);
            rows.sort((a, b) -> Double.compare(((Number) a.get(a.fieldIndex(stepCol))).doubleValue(),
                    ((Number) b.get(b.fieldIndex(stepCol))).doubleValue()));
            StringBuilder csv = new StringBuilder(header).append('\n');
            for (Row r : rows) {
                for (int j = 0; j < valueColumns.size(); j++) {
                    Object v = r.get(r.fieldIndex(valueColumns.get(j)));
                    csv.append(j == 0 ? "" : ",").append(v == null ? "" : cell(v));
                }
                csv.append('\n');
            }
            String source = file + " sequence '" + group._1() + "'";
            Dataset parsed = DatasetCsv.parse(csv.toString(), source);
            return parsed.withSequences(List.of(parsed.sequence(0).withId(group._1())));
        });
    }

    private static String fileName(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static String cell(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double x = ((Number) v).doubleValue();
            if (!Double.isFinite(x)) {
                throw new DataException("a non-finite value " + x + " in the data; write a missing value as null");
            }
            return Double.toString(x);
        }
        String s = v.toString();
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

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
     * The shape of the data at {@code path} (kind, dimension, inputs), as one of its sequences read without a
     * model: what sizes a template before the data are read for it. Reads one record on the driver.
     *
     * @throws DataException for symbols (a template's alphabet is every symbol of the data, which one record
     *         does not show)
     */
    public static Dataset shape(SparkSession spark, String path, int partitions, ParquetColumns columns) {
        if (isLocal(path) && !Files.exists(Path.of(stripFileScheme(path)))) {
            throw new DataException(path + ": no such file or folder");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset first = switch (Layout.of(path)) {
            case JSON_LINES -> {
                List<String> line = sc.textFile(path).filter(l -> !l.isBlank()).take(1);
                if (line.isEmpty()) {
                    throw new DataException(path + ": no sequences");
                }
                yield DatasetJson.parseSequence(line.get(0).strip(), List.of(), fileName(path) + " (first sequence)");
            }
            case CSV -> {
                List<Tuple2<String, String>> file = sc.wholeTextFiles(path).sortByKey().take(1);
                if (file.isEmpty()) {
                    throw new DataException(path + ": no sequences");
                }
                Dataset d = DatasetCsv.parse(file.get(0)._2(), fileName(file.get(0)._1()));
                yield d.withSequences(List.of(d.sequence(0)));
            }
            case PARQUET -> {
                if (Arrays.asList(spark.read().parquet(path).columns()).contains("symbol")) {
                    yield Dataset.ofSymbols(List.of(Sequence.ofSymbols("s", new int[] {0})), List.of());
                }
                yield Dataset.of(List.of(parquet(spark, path, null, partitions, columns).first()));
            }
        };
        if (first.kind() == org.statespace.data.ObservationKind.SYMBOLS) {
            throw new DataException(path + ": the data are symbols, and a template's alphabet is every symbol in "
                    + "them; give a full spec with the symbols (statespace fit --model TEMPLATE on a sample writes one)");
        }
        return first;
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

    private static JavaRDD<Sequence> csv(SparkSession spark, String path, String model, int partitions) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        var files = partitions > 0 ? sc.wholeTextFiles(path, partitions) : sc.wholeTextFiles(path);
        return files.sortByKey(true, partitions > 0 ? partitions : files.getNumPartitions())
                .flatMap(t -> {
                    String source = Path.of(new java.net.URI(t._1()).getPath()).getFileName().toString();
                    Dataset d = space(model).align(DatasetCsv.parse(t._2(), source), source);
                    return d.sequences().iterator();
                });
    }

    private static JavaRDD<Sequence> parquet(SparkSession spark, String path, String model,
            int partitions, ParquetColumns columns) {
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
            Dataset d = model == null ? parsed : space(model).align(parsed, source);
            return d.sequence(0).withId(group._1());
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

package org.statespace.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.statespace.StateSpaceModel;
import org.statespace.data.Sequence;
import org.statespace.inference.FilterEngine;
import org.statespace.spec.ModelSpecs;

/**
 * Filters and scores every sequence of a dataset under one model, on the executors, with the same filter
 * engine as the command line's {@code filter}: per sequence its id, length, observed steps, exact
 * log-likelihood and log score per observed step; and the totals, summed over the fixed tree of
 * {@link DyadicSum} so they do not depend on the partitioning.
 */
public final class SparkScoring {
    private SparkScoring() {
    }

    /** The schema of the per-sequence table. */
    public static final StructType SCHEMA = new StructType()
            .add("index", DataTypes.LongType, false)
            .add("sequence", DataTypes.StringType, false)
            .add("steps", DataTypes.IntegerType, false)
            .add("observed", DataTypes.LongType, false)
            .add("logLikelihood", DataTypes.DoubleType, false)
            .add("logScorePerObservation", DataTypes.DoubleType, true);

    /** The totals over the dataset. */
    public record Totals(long sequences, long observed, double logLikelihood) {
        /** Log score per observed step; NaN when nothing was observed. */
        public double perObservation() {
            return observed == 0 ? Double.NaN : logLikelihood / observed;
        }
    }

    /** Per-sequence scores as a table (index, sequence, steps, observed, logLikelihood, logScorePerObservation). */
    public static Dataset<Row> perSequence(SparkSession spark, JavaRDD<IndexedSequence> data,
            StateSpaceModel<?, ?> model) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<String> spec = sc.broadcast(ModelSpecs.write(model));
        JavaRDD<Row> rows = data.mapPartitions((Iterator<IndexedSequence> it) -> {
            StateSpaceModel<?, ?> m = ModelSpecs.parse(spec.value(), "model");
            FilterEngine engine = FilterEngine.singleThreaded();
            List<Row> out = new ArrayList<>();
            while (it.hasNext()) {
                IndexedSequence s = it.next();
                Sequence seq = s.sequence();
                double ll = engine.run(m, seq).logLikelihood();
                long observed = seq.observedSteps();
                out.add(RowFactory.create(s.index(), seq.id(), seq.length(), observed, ll,
                        observed == 0 ? null : ll / observed));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** The totals of a per-sequence table, summed in a partition-independent order. */
    public static Totals totals(Dataset<Row> perSequence, long count) {
        List<List<DyadicSum.Node<double[]>>> parts = perSequence.javaRDD()
                .sortBy(r -> r.getLong(0), true, Math.max(1, perSequence.javaRDD().getNumPartitions()))
                .mapPartitions((Iterator<Row> it) -> {
                    DyadicSum<double[]> sum = new DyadicSum<>(SparkScoring::add);
                    while (it.hasNext()) {
                        Row r = it.next();
                        sum.add(r.getLong(0), new double[] {r.getDouble(4), r.getLong(3)});
                    }
                    return List.of(sum.nodes()).iterator();
                }).collect();
        List<DyadicSum.Node<double[]>> nodes = new ArrayList<>();
        parts.forEach(nodes::addAll);
        double[] t = DyadicSum.combine(nodes, count, SparkScoring::add);
        return new Totals(count, (long) t[1], t[0]);
    }

    private static double[] add(double[] a, double[] b) {
        a[0] += b[0];
        a[1] += b[1];
        return a;
    }
}

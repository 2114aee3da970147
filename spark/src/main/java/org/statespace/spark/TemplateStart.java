package org.statespace.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.statespace.StateSpaceModel;
import org.statespace.data.Dataset;
import org.statespace.numeric.Randoms;
import org.statespace.spec.ModelSpecs;
import org.statespace.spec.SpecNode;

/**
 * The start {@code statespace fit --model TEMPLATE} draws, drawn from data in Spark partitions: the template's
 * model sized by the data's {@linkplain SparkSequences#shape shape} (a symbol alphabet gathered from all of them),
 * then the data read for that sized model and its start drawn with the seed from their counts, moments and chosen
 * rows ({@link SparkRows}; {@link ModelSpecs#template(SpecNode, Dataset, java.util.function.Function,
 * java.util.random.RandomGenerator)}). Every sum is exact, so the start is the in-memory one bit for bit, whatever
 * the partitioning.
 *
 * @param model the start
 * @param data  the data as read for it (cached), or null when the start read none of them or reads them otherwise
 */
record TemplateStart(StateSpaceModel<?, ?> model, JavaRDD<IndexedSequence> data) {

    /**
     * Draws the start of {@code template} for the data at {@code path}, whose shape is {@code shape}.
     *
     * @throws org.statespace.DataException when the template does not apply to the data
     * @throws org.statespace.SpecException for a malformed template
     */
    static TemplateStart draw(SparkSession spark, SpecNode template, Dataset shape, String path, int partitions,
            SparkSequences.ParquetColumns columns, long seed) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<IndexedSequence>[] read = new JavaRDD[1];
        org.statespace.ObservationSpace[] readFor = new org.statespace.ObservationSpace[1];
        StateSpaceModel<?, ?> start = ModelSpecs.template(template, shape, skeleton -> {
            if (read[0] == null || !readFor[0].equals(skeleton.observationSpace())) {
                read[0] = SparkSequences.read(spark, path, ModelSpecs.write(skeleton), partitions, columns);
                readFor[0] = skeleton.observationSpace();
            }
            return new SparkRows(sc, read[0], read[0].count(), readFor[0].dimension(), readFor[0].inputDimension());
        }, Randoms.seeded(seed)).orElseThrow(() -> template.error("a " + template.json().path("type").asText()
                + " template's start reads more of the data than statespace-spark gives it (their shape, counts, "
                + "moments and rows); give a full spec ('statespace fit --model TEMPLATE' on a sample writes one)"));
        if (read[0] != null && readFor[0].equals(start.observationSpace())) {
            return new TemplateStart(start, read[0]); // the data as read for the sized model fit the start
        }
        if (read[0] != null) {
            read[0].unpersist(false);
        }
        return new TemplateStart(start, null);
    }
}

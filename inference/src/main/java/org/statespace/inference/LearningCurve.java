package org.statespace.inference;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.statespace.spec.Json;

/**
 * Training and validation loss per iteration (EM iteration, optimiser iteration or epoch). Losses are
 * mean negative log-likelihoods per observed step in nats, except the training loss of gradient
 * training, which is the family's training objective (squared error for a linear head). Validation loss
 * is NaN when there is no validation data.
 */
public final class LearningCurve {

    /** One point of the curve. */
    public record Point(int iteration, double trainingLoss, double validationLoss, double seconds) {
    }

    private final List<Point> points = new ArrayList<>();

    public LearningCurve() {
    }

    /** A copy of another curve (used when resuming). */
    public LearningCurve(List<Point> points) {
        this.points.addAll(points);
    }

    public void add(Point p) {
        points.add(p);
    }

    public List<Point> points() {
        return List.copyOf(points);
    }

    public int size() {
        return points.size();
    }

    public Point last() {
        return points.get(points.size() - 1);
    }

    /**
     * The curve as JSON: {"iteration": [...], "trainingLoss": [...], "validationLoss": [...], "seconds": [...]}.
     * {@code validationLoss} is there only when the fit had validation data; a non-finite loss (a start
     * the data gives probability zero) is the string "Infinity", "-Infinity" or "NaN", never {@code null}.
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        ArrayNode it = o.putArray("iteration");
        ArrayNode tr = o.putArray("trainingLoss");
        boolean validated = points.stream().anyMatch(p -> !Double.isNaN(p.validationLoss()));
        ArrayNode va = validated ? o.putArray("validationLoss") : null;
        ArrayNode se = o.putArray("seconds");
        for (Point p : points) {
            it.add(p.iteration());
            Json.extendedNumber(tr, p.trainingLoss());
            if (validated) {
                Json.extendedNumber(va, p.validationLoss());
            }
            Json.number(se, p.seconds());
        }
        return o;
    }

    /** Reads {@link #toJson()} back (an absent {@code validationLoss}, or a {@code null} in older files, is NaN). */
    public static LearningCurve fromJson(com.fasterxml.jackson.databind.JsonNode node) {
        LearningCurve c = new LearningCurve();
        int n = node.get("iteration").size();
        com.fasterxml.jackson.databind.JsonNode validation = node.path("validationLoss");
        for (int i = 0; i < n; i++) {
            c.add(new Point(node.get("iteration").get(i).asInt(), value(node.get("trainingLoss").get(i)),
                    value(validation.get(i)), value(node.get("seconds").get(i))));
        }
        return c;
    }

    private static double value(com.fasterxml.jackson.databind.JsonNode n) {
        return n == null || n.isNull() ? Double.NaN : n.isTextual() ? Json.doubleValue(n, "learning curve", "") : n.asDouble();
    }
}

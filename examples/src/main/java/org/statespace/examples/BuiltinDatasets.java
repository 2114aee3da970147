package org.statespace.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.statespace.SpecException;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.DatasetJson;
import org.statespace.data.Sequence;
import org.statespace.study.DatasetResolver;

/**
 * The datasets embedded in the application (see {@code org/statespace/datasets/README.md}): {@code nile},
 * {@code casino}, {@code regimes}, {@code tracking}, {@code logistic}.
 */
public final class BuiltinDatasets implements DatasetResolver {
    private static final String FOLDER = "/org/statespace/datasets/";
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "nile", "annual flow of the Nile at Aswan 1871-1970 (100 values; a local-level model is the classic fit)",
            "casino", "the occasionally dishonest casino: the book's 300 rolls and 4 x 600 sampled rolls with true dice",
            "regimes", "a regime-switching Gaussian series from a 3-state HMM, 4 x 400 steps",
            "tracking", "a 2-D position track under known accelerations (2 inputs), from a linear-Gaussian model, 3 x 300",
            "logistic", "a noisy chaotic logistic map observed with noise, 4 x 400 steps");

    @Override
    public List<String> names() {
        return List.of("nile", "casino", "regimes", "tracking", "logistic");
    }

    /** A one-line description of a built-in dataset. */
    public String description(String name) {
        return DESCRIPTIONS.getOrDefault(name, "");
    }

    @Override
    public Dataset builtin(String name) {
        return switch (name) {
            case "nile" -> csv("nile.csv").withSequences(List.of(csv("nile.csv").sequence(0).withId("nile")));
            case "casino" -> {
                Dataset book = json("casino-book.json");
                Dataset sampled = json("casino-sampled.json");
                List<Sequence> all = new ArrayList<>(book.sequences());
                all.addAll(sampled.sequences());
                yield book.withSequences(all);
            }
            case "regimes", "tracking", "logistic" -> json(name + ".json");
            default -> throw new SpecException("", "builtin", "no built-in dataset \"" + name + "\"; built in are "
                    + String.join(", ", names()));
        };
    }

    private static Dataset json(String file) {
        try (InputStream in = open(file)) {
            return DatasetJson.read(in, "builtin:" + file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in dataset " + file, e);
        }
    }

    private static Dataset csv(String file) {
        try (InputStream in = open(file)) {
            return DatasetCsv.read(new InputStreamReader(in, StandardCharsets.UTF_8), "builtin:" + file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in dataset " + file, e);
        }
    }

    private static InputStream open(String file) {
        InputStream in = BuiltinDatasets.class.getResourceAsStream(FOLDER + file);
        if (in == null) {
            throw new IllegalStateException("the built-in dataset " + file + " is missing from the application");
        }
        return in;
    }
}

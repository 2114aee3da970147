package org.statespace.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.statespace.SpecException;
import org.statespace.data.Dataset;
import org.statespace.data.DatasetCsv;
import org.statespace.data.DatasetJson;
import org.statespace.data.Sequence;
import org.statespace.data.Support;
import org.statespace.study.DatasetResolver;
import org.statespace.study.StudySpec;

/**
 * The datasets embedded in the application; {@code org/statespace/datasets/README.md} beside the files
 * gives each file's origin, licence and the command that produced it.
 *
 * <p>Made up for the toolkit (written by {@link BuiltinDataGenerator}, or copied from a textbook):
 * {@code nile}, {@code casino}, {@code regimes}, {@code tracking}, {@code logistic}, {@code growth}.
 *
 * <p>Real series, public domain or factual measurements, taken unchanged from Debian's packages (only
 * {@code usmacro} and {@code austen} are derived, as said below):
 * <ul>
 *   <li>{@code sunspots}: yearly sunspot numbers 1700-2008 (309 values), NOAA National Geophysical Data
 *       Center; statsmodels' {@code sunspots} dataset (public domain), from python3-statsmodels 0.13.5.</li>
 *   <li>{@code co2}: weekly mean atmospheric CO2 at Mauna Loa, ppmv, 1958-03-29 to 2001-12-29 (2284 weeks,
 *       59 of them missing and kept as missing values); Keeling and Whorf (2004), CDIAC; statsmodels'
 *       {@code co2} dataset (public domain).</li>
 *   <li>{@code usmacro}: US quarterly real GDP growth and CPI inflation (both 400·ln(x<sub>t</sub>/x<sub>t-1</sub>),
 *       annualised percent, from the levels {@code realgdp} and {@code cpi}) and the unemployment rate
 *       ({@code unemp}, percent), 1959Q2-2009Q3 (202 quarters, 3-dimensional); FRED and BLS via statsmodels'
 *       {@code macrodata} dataset (public domain).</li>
 *   <li>{@code airpassengers}: monthly international airline passengers, thousands, 1949-1960 (144 values);
 *       Box, Jenkins and Reinsel (1976), series G; R's {@code AirPassengers}.</li>
 *   <li>{@code lynx}: annual Canadian lynx trappings, Mackenzie River, 1821-1934 (114 values); Campbell and
 *       Walker (1977); R's {@code lynx}.</li>
 *   <li>{@code faithful}: Old Faithful geyser, eruption duration (minutes) and waiting time to the next
 *       eruption (minutes), 272 eruptions (2-dimensional); Härdle (1991); R's {@code faithful}.</li>
 *   <li>{@code lakehuron}: annual level of Lake Huron, feet, 1875-1972 (98 values); Brockwell and Davis (1991),
 *       series A; R's {@code LakeHuron}.</li>
 *   <li>{@code seatbelts}: UK car drivers killed or seriously injured per month, 1969-01 to 1984-12 (192 values),
 *       with two inputs: the compulsory seat-belt law ({@code input1}, 0, then 1 from 1983-02) and the real
 *       petrol price ({@code input2}); Harvey and Durbin (1986); R's {@code Seatbelts}. A real series whose
 *       regimes are driven by an observed input, for input-output HMMs.</li>
 *   <li>{@code austen}: the first two chapters of Jane Austen's <i>Pride and Prejudice</i> (1813, public
 *       domain), Project Gutenberg text from Debian's r-cran-janeaustenr 1.0.0, as 27 symbols (a-z and
 *       {@code _} for a space; lower-cased, other characters dropped or turned into a space), one sequence per
 *       paragraph (61 paragraphs, 8202 characters).</li>
 * </ul>
 * R's datasets come from its {@code datasets} package in Debian's r-base-core 4.2.2 (part of R, GPL-2 | GPL-3;
 * the values are published measurements).
 *
 * <p>Each real dataset has a {@linkplain #defaultSplit suggested split}; the synthetic ones leave the split to
 * the study.
 */
public final class BuiltinDatasets implements DatasetResolver {
    private static final String FOLDER = "/org/statespace/datasets/";

    private record Entry(String description, String source, StudySpec.Split split) {
    }

    private static final StudySpec.Split LAST_FIFTH = new StudySpec.Split(0.8, false);

    private static final Map<String, Entry> ENTRIES = entries();

    private static Map<String, Entry> entries() {
        Map<String, Entry> m = new LinkedHashMap<>();
        m.put("nile", new Entry("annual flow of the Nile at Aswan 1871-1970 (100 values; a local-level model is the classic fit)",
                "Cobb (1978), as in statsmodels and Durbin & Koopman (2012)", null));
        m.put("casino", new Entry("the occasionally dishonest casino: the book's 300 rolls and 4 x 600 sampled rolls with true dice",
                "Durbin, Eddy, Krogh & Mitchison (1998); samples simulated", null));
        m.put("regimes", new Entry("a regime-switching Gaussian series from a 3-state HMM, 4 x 400 steps", "simulated", null));
        m.put("tracking", new Entry("a 2-D position track under known accelerations (2 inputs), from a linear-Gaussian model, 3 x 300",
                "simulated", null));
        m.put("logistic", new Entry("a noisy chaotic logistic map observed with noise, 4 x 400 steps", "simulated", null));
        m.put("growth", new Entry("the non-stationary growth model x_t = x/2 + 25x/(1+x^2) + 8cos(1.2t) + w, y_t = x_t^2/20 + v, "
                + "10 x 100 steps, true states attached", "simulated (Kitagawa 1987; Gordon, Salmond & Smith 1993)", null));
        m.put("sunspots", new Entry("yearly sunspot numbers 1700-2008 (309 values)",
                "NOAA NGDC via statsmodels' sunspots, public domain", LAST_FIFTH));
        m.put("co2", new Entry("weekly atmospheric CO2 at Mauna Loa in ppmv, 1958-03-29 to 2001-12-29 (2284 weeks, 59 missing)",
                "Keeling & Whorf (2004), CDIAC, via statsmodels' co2, public domain", LAST_FIFTH));
        m.put("usmacro", new Entry("US quarterly real GDP growth, CPI inflation (annualised %) and unemployment (%), 1959Q2-2009Q3",
                "FRED and BLS via statsmodels' macrodata, public domain", LAST_FIFTH));
        m.put("airpassengers", new Entry("monthly international airline passengers in thousands, 1949-1960 (144 values)",
                "Box, Jenkins & Reinsel (1976) series G, R's AirPassengers", new StudySpec.Split(10.0 / 12, false)));
        m.put("lynx", new Entry("annual Canadian lynx trappings, Mackenzie River, 1821-1934 (114 values)",
                "Campbell & Walker (1977), R's lynx", LAST_FIFTH));
        m.put("faithful", new Entry("Old Faithful geyser: eruption duration and waiting time in minutes, 272 eruptions (2-D)",
                "Härdle (1991), R's faithful", LAST_FIFTH));
        m.put("lakehuron", new Entry("annual level of Lake Huron in feet, 1875-1972 (98 values)",
                "Brockwell & Davis (1991) series A, R's LakeHuron", LAST_FIFTH));
        m.put("seatbelts", new Entry("UK car drivers killed or seriously injured per month, 1969-1984 (192 values), inputs: the "
                + "seat-belt law (0/1, from 1983-02) and the real petrol price", "Harvey & Durbin (1986), R's Seatbelts", LAST_FIFTH));
        m.put("austen", new Entry("Pride and Prejudice, chapters 1-2, as letters a-z and _ (space), one sequence per paragraph (61)",
                "Jane Austen (1813), public domain; Project Gutenberg text via Debian's r-cran-janeaustenr",
                new StudySpec.Split(0.8, true)));
        return m;
    }

    @Override
    public List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }

    /** A one-line description of a built-in dataset ({@code ""} for an unknown name). */
    public String description(String name) {
        Entry e = ENTRIES.get(name);
        return e == null ? "" : e.description();
    }

    /** Where a built-in dataset comes from, in a few words ({@code ""} for an unknown name). */
    public String source(String name) {
        Entry e = ENTRIES.get(name);
        return e == null ? "" : e.source();
    }

    /**
     * The split suggested for a real built-in dataset: the last fifth of each series held out (for
     * {@code airpassengers} the last two years, 1959-1960), and for {@code austen} the last fifth of its
     * paragraphs. Empty for the synthetic datasets and unknown names. A study does not apply it by
     * itself: its dataset entry names it as {@code "split"} ({@code statespace datasets} lists it).
     */
    public Optional<StudySpec.Split> defaultSplit(String name) {
        Entry e = ENTRIES.get(name);
        return e == null ? Optional.empty() : Optional.ofNullable(e.split());
    }

    @Override
    public Dataset builtin(String name) {
        return switch (name) {
            // flows in 10^8 m^3, recorded as whole numbers but not counts: declared real, not inferred counts
            case "nile" -> series("nile").withSupport(Support.REAL);
            case "casino" -> {
                Dataset book = json("casino-book.json");
                Dataset sampled = json("casino-sampled.json");
                List<Sequence> all = new ArrayList<>(book.sequences());
                all.addAll(sampled.sequences());
                yield book.withSequences(all);
            }
            case "regimes", "tracking", "logistic", "growth", "austen" -> json(name + ".json");
            case "sunspots", "co2", "usmacro", "airpassengers", "lynx", "faithful", "lakehuron", "seatbelts" -> series(name);
            default -> throw new SpecException("", "builtin", "no built-in dataset \"" + name + "\"; built in are "
                    + String.join(", ", names()));
        };
    }

    /** A one-sequence CSV file {@code name.csv}, its sequence named {@code name}. */
    private static Dataset series(String name) {
        Dataset d = csv(name + ".csv");
        return d.withSequences(List.of(d.sequence(0).withId(name)));
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

package org.statespace.spec;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean ...?" for a misspelt name: the known name nearest to what was given, by the optimal
 * string alignment distance (insertions, deletions, substitutions and transpositions of neighbours, each
 * counting 1) between lower-cased names. A name of three letters or more counts as near when at most a
 * third of its letters (at least one, at most three) differ, unless the two differ only in their numbers
 * ({@code weight_hh_l3} and {@code weight_hh_l0} name different layers); any name, when it is the other in
 * another case.
 */
public final class Suggestions {
    private Suggestions() {
    }

    /** The candidate nearest to {@code given}, when one is near enough to be a likely misspelling. */
    public static Optional<String> nearest(String given, Collection<String> candidates) {
        String g = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(g, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = given.length() < 3 ? 0 : Math.min(3, Math.max(1, given.length() / 3));
        if (best == null || bestDistance > allowed || (bestDistance > 0 && sameButDigits(g, best.toLowerCase(Locale.ROOT)))) {
            // names that differ only in their numbers (weight_hh_l3 against weight_hh_l0) name different
            // things (another layer, another state): the number is what is wrong, not the spelling
            return Optional.empty();
        }
        return Optional.of(best);
    }

    /** "; did you mean "x"?" for a message, or "" when nothing is near. */
    public static String didYouMean(String given, Collection<String> candidates) {
        return nearest(given, candidates).map(s -> "did you mean \"" + s + "\"? ").orElse("");
    }

    private static boolean sameButDigits(String a, String b) {
        return a.replaceAll("[0-9]+", "#").equals(b.replaceAll("[0-9]+", "#"));
    }

    /** Optimal string alignment distance. */
    static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}

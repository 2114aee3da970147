package org.statespace.hmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.apache.commons.math3.exception.MathIllegalArgumentException;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;

import org.statespace.DataException;
import org.statespace.data.ObservedRows;

/**
 * Random starting points for Baum-Welch restarts: Dirichlet draws for probability vectors and
 * k-means++ clustering (Commons Math's {@link KMeansPlusPlusClusterer}) of the observed vectors.
 */
final class Starts {
    /** Points beyond this many are subsampled before clustering (k-means++ only needs a summary). */
    static final int MAX_POINTS = 5000;

    private Starts() {
    }

    /** A Gamma(shape, 1) draw (Marsaglia and Tsang 2000; shape &lt; 1 by the boost Γ(a) = Γ(a+1) U^{1/a}). */
    static double gamma(RandomGenerator random, double shape) {
        if (shape < 1) {
            double u = random.nextDouble();
            return gamma(random, shape + 1) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = random.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    /** A Dirichlet(α) draw, written into {@code out[offset .. offset+α.length)}; entries are positive. */
    static void dirichlet(RandomGenerator random, double[] alpha, double[] out, int offset) {
        double sum = 0;
        for (int i = 0; i < alpha.length; i++) {
            double g = Math.max(gamma(random, alpha[i]), Double.MIN_NORMAL);
            out[offset + i] = g;
            sum += g;
        }
        for (int i = 0; i < alpha.length; i++) {
            out[offset + i] /= sum;
        }
    }

    /** A random initial distribution: half uniform, half a Dirichlet(1, ..., 1) draw. */
    static double[] initialDistribution(RandomGenerator random, int k) {
        double[] alpha = new double[k];
        Arrays.fill(alpha, 1);
        double[] p = new double[k];
        dirichlet(random, alpha, p, 0);
        for (int i = 0; i < k; i++) {
            p[i] = 0.5 / k + 0.5 * p[i];
        }
        return p;
    }

    /**
     * A random K×K transition matrix (row-major) whose rows are Dirichlet draws with concentration 1
     * off the diagonal and K on it, so states tend to persist (expected self-transition K/(2K-1)).
     */
    static double[] transitionMatrix(RandomGenerator random, int k) {
        double[] a = new double[k * k];
        double[] alpha = new double[k];
        for (int i = 0; i < k; i++) {
            Arrays.fill(alpha, 1);
            alpha[i] = k;
            dirichlet(random, alpha, a, i * k);
        }
        return a;
    }

    /**
     * The observed vectors of a dataset as points: fully observed rows, or, when fewer than
     * {@code atLeast} of those exist, every row with an observed component with its missing components
     * filled by the column means. Subsampled to {@link #MAX_POINTS} at random. The data are read as counts,
     * then the chosen rows by index ({@link ObservedRows}), so the points are the same wherever the rows live.
     *
     * @throws DataException if the data has no observed value
     */
    static double[][] points(ObservedRows data, int atLeast, RandomGenerator random) {
        ObservedRows.Tally tally = data.tally();
        long complete = tally.complete();
        long n = complete >= atLeast ? complete : complete + tally.partial();
        if (n == 0) {
            throw new DataException("cannot draw a starting point: the data has no observed value");
        }
        double[][] rows = data.rows(subsample(n, random));
        if (n > complete) {
            double[] means = tally.columnMeans();
            for (double[] y : rows) {
                for (int j = 0; j < y.length; j++) {
                    if (Double.isNaN(y[j])) {
                        y[j] = means[j];
                    }
                }
            }
        }
        return rows;
    }

    /**
     * The indices of the rows {@link #points} keeps of n: all in order when n &le; {@link #MAX_POINTS}, else
     * the first {@link #MAX_POINTS} places of a partial Fisher-Yates shuffle (its swaps kept in a map, so the
     * picks do not need an array of n).
     */
    static long[] subsample(long n, RandomGenerator random) {
        if (n <= MAX_POINTS) {
            long[] all = new long[(int) n];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        Map<Long, Long> swapped = new HashMap<>();
        long[] out = new long[MAX_POINTS];
        for (int i = 0; i < MAX_POINTS; i++) {
            long j = i + (n - i <= Integer.MAX_VALUE ? random.nextInt((int) (n - i)) : random.nextLong(n - i));
            long atJ = swapped.getOrDefault(j, j);
            long atI = swapped.getOrDefault((long) i, (long) i);
            swapped.put(j, atI);
            swapped.put((long) i, atJ);
            out[i] = atJ;
        }
        return out;
    }

    /** The result of clustering: k centroids and, for each, the points assigned to it. */
    record Clusters(double[][] centroids, List<List<double[]>> members) {
    }

    /**
     * k-means++ (Arthur and Vassilvitskii 2007) with Lloyd iterations, by Commons Math. When there are
     * fewer distinct points than clusters, the missing centroids are copies of random points, so that
     * the caller always gets k of them.
     */
    static Clusters kMeans(double[][] points, int k, RandomGenerator random) {
        int d = points[0].length;
        List<DoublePoint> list = new ArrayList<>(points.length);
        for (double[] p : points) {
            list.add(new DoublePoint(p));
        }
        double[][] centroids = new double[k][];
        List<List<double[]>> members = new ArrayList<>(k);
        List<CentroidCluster<DoublePoint>> clusters = null;
        if (points.length >= k) {
            KMeansPlusPlusClusterer<DoublePoint> clusterer = new KMeansPlusPlusClusterer<>(k, 100,
                    new EuclideanDistance(), new Well19937c(random.nextLong()));
            try {
                clusters = clusterer.cluster(list);
            } catch (MathIllegalArgumentException | MathIllegalStateException e) {
                clusters = null; // degenerate data (e.g. all points equal and an empty cluster): fall back below
            }
        }
        for (int c = 0; c < k; c++) {
            List<double[]> m = new ArrayList<>();
            if (clusters != null) {
                centroids[c] = clusters.get(c).getCenter().getPoint().clone();
                for (DoublePoint p : clusters.get(c).getPoints()) {
                    m.add(p.getPoint());
                }
            } else {
                double[] p = points[random.nextInt(points.length)];
                centroids[c] = p.clone();
                m.add(p);
            }
            members.add(m);
        }
        if (d < 1) {
            throw new IllegalStateException("points without components");
        }
        return new Clusters(centroids, members);
    }

    /** The mean of points (d components). */
    static double[] mean(List<double[]> points, int d) {
        double[] m = new double[d];
        for (double[] p : points) {
            for (int j = 0; j < d; j++) {
                m[j] += p[j];
            }
        }
        for (int j = 0; j < d; j++) {
            m[j] /= Math.max(1, points.size());
        }
        return m;
    }

    /** The scatter Σ (p - centre)(p - centre)ᵀ / n, d×d row-major (zero for no points). */
    static double[] scatter(List<double[]> points, double[] centre) {
        int d = centre.length;
        double[] s = new double[d * d];
        for (double[] p : points) {
            for (int a = 0; a < d; a++) {
                double ra = p[a] - centre[a];
                for (int b = 0; b < d; b++) {
                    s[a * d + b] += ra * (p[b] - centre[b]);
                }
            }
        }
        for (int i = 0; i < s.length; i++) {
            s[i] /= Math.max(1, points.size());
        }
        return s;
    }

    /** All points of all clusters. */
    static List<double[]> all(double[][] points) {
        return Arrays.asList(points);
    }
}

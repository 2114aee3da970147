package org.statespace.data;

/**
 * The moments a data-sized start reads (a linear-Gaussian template's offsets and noise scales, a standardised
 * network's scales): per observation component its count, sum and sum of squares over the steps that observe it
 * and the sum of squared lag-one differences over the steps that observe it and the one before; per input
 * component its count, sum and sum of squares. Every sum is kept exactly (an exact sum rounded once), so the
 * moments of parts merged in any order are the moments of the whole bit for bit: a dataset in memory and the
 * same dataset in a cluster's partitions give the same start.
 */
public final class Moments {
    private final long[] count;
    private final ExactSum[] sum;
    private final ExactSum[] sumOfSquares;
    private final long[] differenceCount;
    private final ExactSum[] differenceSquares;
    private final long[] inputCount;
    private final ExactSum[] inputSum;
    private final ExactSum[] inputSumOfSquares;

    /** Empty moments of d observation and p input components. */
    public Moments(int dimension, int inputDimension) {
        count = new long[dimension];
        sum = sums(dimension);
        sumOfSquares = sums(dimension);
        differenceCount = new long[dimension];
        differenceSquares = sums(dimension);
        inputCount = new long[inputDimension];
        inputSum = sums(inputDimension);
        inputSumOfSquares = sums(inputDimension);
    }

    /** The moments of every sequence of {@code data}. */
    public static Moments of(Dataset data) {
        return ObservedRows.of(data).moments();
    }

    private static ExactSum[] sums(int n) {
        ExactSum[] s = new ExactSum[n];
        for (int j = 0; j < n; j++) {
            s[j] = new ExactSum();
        }
        return s;
    }

    /**
     * Adds the steps of {@code sequence}.
     *
     * @throws org.statespace.DataException when its observation or input components differ from these moments'
     */
    public void add(Sequence sequence) {
        int d = count.length;
        int p = inputCount.length;
        if (sequence.dimension() != d || (p > 0 && sequence.inputDimension() != p)) {
            throw new org.statespace.DataException("sequence '" + sequence.id() + "' has " + sequence.dimension()
                    + " observation and " + sequence.inputDimension() + " input components, expected " + d + " and " + p);
        }
        int first = sequence.firstStep();
        for (int t = first; t < first + sequence.length(); t++) {
            for (int j = 0; j < d; j++) {
                double y = sequence.value(t, j);
                if (Double.isNaN(y)) {
                    continue;
                }
                sum[j].add(y);
                sumOfSquares[j].add(y * y);
                count[j]++;
                if (t > first && !Double.isNaN(sequence.value(t - 1, j))) {
                    double e = y - sequence.value(t - 1, j);
                    differenceSquares[j].add(e * e);
                    differenceCount[j]++;
                }
            }
            for (int j = 0; j < p; j++) {
                double u = sequence.input(t, j);
                if (!Double.isNaN(u)) {
                    inputSum[j].add(u);
                    inputSumOfSquares[j].add(u * u);
                    inputCount[j]++;
                }
            }
        }
    }

    /** Adds the moments of {@code other} (of other sequences) to these. */
    public void merge(Moments other) {
        if (other.count.length != count.length || other.inputCount.length != inputCount.length) {
            throw new IllegalArgumentException("moments of " + count.length + "+" + inputCount.length + " and "
                    + other.count.length + "+" + other.inputCount.length + " components");
        }
        for (int j = 0; j < count.length; j++) {
            count[j] += other.count[j];
            sum[j].merge(other.sum[j]);
            sumOfSquares[j].merge(other.sumOfSquares[j]);
            differenceCount[j] += other.differenceCount[j];
            differenceSquares[j].merge(other.differenceSquares[j]);
        }
        for (int j = 0; j < inputCount.length; j++) {
            inputCount[j] += other.inputCount[j];
            inputSum[j].merge(other.inputSum[j]);
            inputSumOfSquares[j].merge(other.inputSumOfSquares[j]);
        }
    }

    /** Observation components (d). */
    public int dimension() {
        return count.length;
    }

    /** Input components (p). */
    public int inputDimension() {
        return inputCount.length;
    }

    /** The statistics of observation component {@code j}. */
    public Column observation(int j) {
        return new Column(count[j], sum[j].value(), sumOfSquares[j].value(), differenceCount[j],
                differenceSquares[j].value());
    }

    /** The statistics of input component {@code j} (no differences: their count is 0). */
    public Column input(int j) {
        return new Column(inputCount[j], inputSum[j].value(), inputSumOfSquares[j].value(), 0, 0);
    }

    /**
     * One component's statistics, each sum the exact sum rounded once.
     *
     * @param count             steps that observe it
     * @param sum               the sum of its values
     * @param sumOfSquares      the sum of their squares
     * @param differenceCount   steps that observe it and whose previous step does
     * @param differenceSquares the sum of the squared differences y_t - y_{t-1} over those steps
     */
    public record Column(long count, double sum, double sumOfSquares, long differenceCount, double differenceSquares) {
        /** The mean, 0 when nothing is observed. */
        public double mean() {
            return count == 0 ? 0 : sum / count;
        }

        /** The sample variance (sumOfSquares - n mean²) / (n - 1); NaN below two values. */
        public double variance() {
            double mean = mean();
            return count < 2 ? Double.NaN : (sumOfSquares - count * mean * mean) / (count - 1);
        }

        /** The mean squared lag-one difference; NaN when there is none. */
        public double differenceMeanSquare() {
            return differenceCount == 0 ? Double.NaN : differenceSquares / differenceCount;
        }
    }
}

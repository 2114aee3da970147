package org.statespace.rnn;

import java.util.Locale;

/**
 * The arithmetic of a network's matrix products (spec field {@code "precision"}).
 *
 * <p>{@link #FLOAT64} (the default) runs everything in double. {@link #FLOAT32} is what a PyTorch user gets from
 * {@code model.float()}, for speed: every matrix product of the forward and backward passes (the gate
 * pre-activations Y · Wᵀ, the state gradients dZ · W, the head) and every weight-gradient sum dW += dZᵀ · Y runs on
 * float arrays (8 lanes per 256-bit FMA instead of 4, half the bytes of W and dW streamed), the kernels of
 * {@code Gemm32}, generated from {@link Gemm} with one blocking scheme. Each operand is rounded to float where it
 * enters a product and each product widened where it leaves, so the cells' element-wise steps, the losses, the
 * log-likelihoods and metrics, the bias gradients and the summing of the shards stay in double; the parameters the
 * optimiser updates (and a saved spec's weights) stay the double master copy of mixed-precision training, read by
 * the products rounded to float. A float32 model written and read back scores identically. Expect results to
 * agree with float64 to a relative 1e-5 or so per step, gradients to about 1e-4 (float's 6e-8 times the
 * products' lengths and the network's conditioning).
 *
 * <p>Measured 2026-12-02 on the shared 2-core AMD EPYC (AVX2) machine, process CPU time of alternating float64 and
 * float32 runs in one JVM (pool of one thread; the machine was loaded by other work, so only the ratios mean
 * anything): one training step of {@code RnnBenchmark} (sequences of 100, a linear head) at input 64, hidden 512,
 * batch 64 took 1/1.6 to 1/1.7 of float64's CPU for the LSTM (2.6 against 4.2 s) and the GRU (1.9 against 3.1 s);
 * at 32-128-32 about 1/1.5 (the runs varied from 1.05 to 2.8); at 8-32-1 the same as float64 (products of one row
 * are too small to gain). What float32 leaves in double, the cells' element-wise steps and the rounding at the
 * products' edges, is most of what separates that from the kernels' own factor of 2.
 */
public enum Precision {
    /** Double precision throughout (the default). */
    FLOAT64,
    /** Matrix products and weight gradients in float (see the class comment). */
    FLOAT32;

    /** The spec name: float64 or float32. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The precision of a spec name. */
    public static Precision fromJson(String name) {
        for (Precision p : values()) {
            if (p.jsonName().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision \"" + name + "\" (float64 or float32)");
    }

    /** The spec names, in declaration order. */
    static String[] jsonNames() {
        Precision[] all = values();
        String[] names = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            names[i] = all[i].jsonName();
        }
        return names;
    }

    /** The first n entries of each of m rows of {@code from}, rounded to float, into {@code to}. */
    static float[][] narrow(int m, int n, double[][] from, float[][] to) {
        for (int i = 0; i < m; i++) {
            double[] f = from[i];
            float[] t = to[i];
            for (int j = 0; j < n; j++) {
                t[j] = (float) f[j];
            }
        }
        return to;
    }

    /** to[i][j] += from[i][j] for the first n entries of m rows. */
    static void addWidened(int m, int n, float[][] from, double[][] to) {
        for (int i = 0; i < m; i++) {
            float[] f = from[i];
            double[] t = to[i];
            for (int j = 0; j < n; j++) {
                t[j] += f[j];
            }
        }
    }
}

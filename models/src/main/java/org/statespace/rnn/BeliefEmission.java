package org.statespace.rnn;

import java.util.Locale;

/**
 * The emission densities b_k(o) of an HMM cell's K states, parametrised so that gradient training keeps
 * every constraint (blocks named by layer l, see {@link RnnArchitecture}):
 * <ul>
 *   <li>{@link Kind#CATEGORICAL}: {@code emission_logits_l<l>} (K × M), b_k = softmax of row k;</li>
 *   <li>{@link Kind#POISSON}: {@code emission_log_rate_l<l>} (K × d), independent Poisson counts with rates
 *       exp(row k);</li>
 *   <li>{@link Kind#GAUSSIAN}: {@code emission_mean_l<l>} (K × d) and {@code emission_cholesky_l<l>} (K·d × d,
 *       state k in rows k·d .. k·d + d - 1): Σ_k = L_k L_kᵀ with L_k lower triangular, its diagonal stored as
 *       logarithms (the entries above the diagonal are not read and must be 0);</li>
 *   <li>{@link Kind#MIXTURE}: {@code emission_weight_logits_l<l>} (K × C, weights softmax of row k),
 *       {@code emission_mean_l<l>} (K·C × d, component c of state k in row k·C + c) and
 *       {@code emission_cholesky_l<l>} (K·C·d × d), C Gaussians as above per state.</li>
 * </ul>
 * Missing components of a real observation are marginalised out (the density of the observed ones); an
 * entirely missing observation has no emission term.
 *
 * <p>The covariance {@link Structure} of the Gaussians (G = K, or K·C for a mixture) is kept by the parametrisation,
 * so a gradient step keeps it: {@link Structure#FULL} the G factors above; {@link Structure#DIAGONAL}
 * {@code emission_log_diagonal_l<l>} (G × d), L = diag(exp(row)); {@link Structure#SPHERICAL}
 * {@code emission_log_scale_l<l>} (G), L = exp(entry) I; {@link Structure#TIED} one shared
 * {@code emission_cholesky_l<l>} (d × d) for every Gaussian.
 *
 * @param kind       the family of the densities
 * @param components C, the Gaussians per state of a mixture; 1 for the other kinds
 * @param covariance the covariance structure of the Gaussian kinds ({@link Structure#FULL} for the others)
 */
public record BeliefEmission(Kind kind, int components, Structure covariance) {

    /** The covariance structure of Gaussian emissions, kept through the parametrisation. */
    public enum Structure {
        FULL, DIAGONAL, SPHERICAL, TIED;

        /** The spec name: full, diagonal, spherical, tied. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The spec names of every structure. */
        public static String[] jsonNames() {
            Structure[] k = values();
            String[] names = new String[k.length];
            for (int i = 0; i < k.length; i++) {
                names[i] = k[i].jsonName();
            }
            return names;
        }
    }

    /** An emission with full covariances (where it has any). */
    public BeliefEmission(Kind kind, int components) {
        this(kind, components, Structure.FULL);
    }

    /** The family of the state densities. */
    public enum Kind {
        CATEGORICAL, POISSON, GAUSSIAN, MIXTURE;

        /** The spec name: categorical, poisson, gaussian, mixture. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The spec names of every kind. */
        public static String[] jsonNames() {
            Kind[] k = values();
            String[] names = new String[k.length];
            for (int i = 0; i < k.length; i++) {
                names[i] = k[i].jsonName();
            }
            return names;
        }
    }

    public BeliefEmission {
        if (kind == null) {
            throw new IllegalArgumentException("an emission needs a kind");
        }
        if (components < 1 || (kind != Kind.MIXTURE && components != 1)) {
            throw new IllegalArgumentException(kind == Kind.MIXTURE ? "a mixture needs at least 1 component, got " + components
                    : "only a mixture emission has components");
        }
        if (covariance == null) {
            throw new IllegalArgumentException("an emission needs a covariance structure");
        }
        if (covariance != Structure.FULL && kind != Kind.GAUSSIAN && kind != Kind.MIXTURE) {
            throw new IllegalArgumentException("a covariance structure is for a gaussian or mixture emission, not "
                    + kind.jsonName());
        }
    }

    /** An emission of one of the single-density kinds. */
    public static BeliefEmission of(Kind kind) {
        return new BeliefEmission(kind, 1);
    }

    /** Whether the emission is over symbols (categorical) rather than real vectors. */
    public boolean symbolic() {
        return kind == Kind.CATEGORICAL;
    }
}

package org.statespace.hmm;

import java.util.Locale;

/**
 * How the covariances of Gaussian emissions are parametrised (the choices of hmmlearn and dynamax).
 * K states, d dimensions; the spec's {@code covariances} has the shape given for each.
 */
public enum CovarianceType {
    /** One unrestricted symmetric positive definite d×d matrix per state: K×d×d. */
    FULL,
    /** One diagonal matrix per state, given by its variances: K×d. */
    DIAGONAL,
    /** One variance per state, shared by every dimension (σ_k² I): K. */
    SPHERICAL,
    /** One full d×d matrix shared by every state: d×d. */
    TIED;

    /** The JSON name: full, diagonal, spherical, tied. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type whose JSON name is {@code name}. */
    public static CovarianceType fromJson(String name) {
        for (CovarianceType c : values()) {
            if (c.jsonName().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown covariance type \"" + name + "\"");
    }

    /** Free parameters of the covariances of K states in d dimensions. */
    public int parameterCount(int states, int d) {
        int symmetric = d * (d + 1) / 2;
        return switch (this) {
            case FULL -> states * symmetric;
            case DIAGONAL -> states * d;
            case SPHERICAL -> states;
            case TIED -> symmetric;
        };
    }
}

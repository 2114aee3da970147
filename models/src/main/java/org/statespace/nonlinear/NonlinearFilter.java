package org.statespace.nonlinear;

/** Which filter runs a non-linear model ({@code "filter"} in its spec). */
public enum NonlinearFilter {
    /** The extended Kalman filter ({@code "ekf"}): Jacobians at the mean (Jazwinski 1970). */
    EXTENDED("ekf"),
    /** The unscented Kalman filter ({@code "ukf"}): scaled sigma points (Julier &amp; Uhlmann 1997; Wan &amp; van der Merwe 2000). */
    UNSCENTED("ukf"),
    /** The bootstrap particle filter ({@code "particle"}; Gordon, Salmond &amp; Smith 1993). */
    PARTICLE("particle");

    private final String jsonName;

    NonlinearFilter(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The spec name. */
    public String jsonName() {
        return jsonName;
    }

    static NonlinearFilter ofName(String name) {
        for (NonlinearFilter f : values()) {
            if (f.jsonName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException(name);
    }
}

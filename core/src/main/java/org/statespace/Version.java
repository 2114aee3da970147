package org.statespace;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The toolkit's version and the commit it was built from, recorded in every result file. */
public final class Version {
    private static final Properties BUILD = load();
    private static final String CURRENT = property("version");
    private static final String COMMIT = commitOf(BUILD);

    private Version() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource leaves both values "unknown"
        }
        return p;
    }

    private static String property(String key) {
        String value = BUILD.getProperty(key, "");
        // an unfiltered placeholder (a build without Maven's resource filtering) is no value
        return value.isEmpty() || value.startsWith("${") ? "unknown" : value;
    }

    /** The abbreviated commit, with "-dirty" when the tree had uncommitted changes; "unknown" outside git. */
    static String commitOf(Properties p) {
        String id = p.getProperty("commit", "");
        if (id.isEmpty() || id.startsWith("${")) {
            return "unknown";
        }
        return "true".equals(p.getProperty("dirty")) ? id + "-dirty" : id;
    }

    /** e.g. {@code 0.2.0}. */
    public static String current() {
        return CURRENT;
    }

    /** e.g. {@code 5880fb9}, or {@code 5880fb9-dirty}, or {@code unknown} for a build outside git. */
    public static String commit() {
        return COMMIT;
    }
}

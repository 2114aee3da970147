package org.statespace.data;

import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads and writes a dataset in the format its file name says: {@code .csv} for CSV, anything else
 * JSON.
 */
public final class Datasets {
    private Datasets() {
    }

    public static Dataset read(Path file) {
        return isCsv(file) ? DatasetCsv.read(file) : DatasetJson.read(file);
    }

    /** Reads a file; a CSV file's columns chosen by {@code columns} (JSON files name their parts themselves). */
    public static Dataset read(Path file, DatasetCsv.Columns columns) {
        return isCsv(file) ? DatasetCsv.read(file, columns) : DatasetJson.read(file);
    }

    /** Whether the file name says CSV ({@code .csv}, any case). */
    public static boolean isCsvName(Path file) {
        return isCsv(file);
    }

    /** Writes atomically; JSON files carry {@code provenance} (may be {@code null}), CSV files cannot. */
    public static void write(Dataset data, Path file, JsonNode provenance) {
        if (isCsv(file)) {
            DatasetCsv.write(data, file);
        } else {
            DatasetJson.write(data, file, provenance);
        }
    }

    private static boolean isCsv(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }
}

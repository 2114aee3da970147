package org.statespace.plots;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium, started the way the report check needs it: no sandbox (CI runs as root), no GPU,
 * no first-run work, no background network, a fresh profile, and a time limit.
 */
final class Browser {
    static final long TIMEOUT_SECONDS = 90;

    private final Path executable;

    private Browser(Path executable) {
        this.executable = executable;
    }

    /** Chromium from $CHROMIUM or the PATH ({@code chromium}, {@code chromium-browser}). */
    static Optional<Browser> find() {
        String env = System.getenv("CHROMIUM");
        if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
            return Optional.of(new Browser(Path.of(env)));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(new Browser(p));
                }
            }
        }
        return Optional.empty();
    }

    /** The page's DOM after its load event (and scripts) ran. */
    String dumpDom(Path page, Path work) throws IOException, InterruptedException {
        Path out = work.resolve("dom.html");
        run(work, out, "--dump-dom", page.toUri().toString());
        return Files.readString(out);
    }

    /** The page's DOM after its load event, in a window of the given size. */
    String dumpDom(Path page, Path work, int width, int height) throws IOException, InterruptedException {
        Path out = work.resolve("dom-" + width + ".html");
        run(work, out, "--hide-scrollbars", "--window-size=" + width + "," + height, "--dump-dom",
                page.toUri().toString());
        return Files.readString(out);
    }

    /** A screenshot of the page at the given window size. */
    Path screenshot(Path page, Path work, int width, int height) throws IOException, InterruptedException {
        Path png = work.resolve("screenshot.png");
        run(work, work.resolve("screenshot.log"), "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--screenshot=" + png, page.toUri().toString());
        return png;
    }

    private void run(Path work, Path stdout, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "profile");
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(work.resolve("chromium-" + System.nanoTime() + ".err").toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IOException("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IOException("chromium exited with " + p.exitValue() + ": " + command);
        }
    }
}

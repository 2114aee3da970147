package org.statespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void theCommitIsTheOneGitHasCheckedOut() throws IOException, InterruptedException {
        String head = git("rev-parse", "HEAD");
        assumeTrue(head != null && head.matches("[0-9a-f]{40}"), "the build runs inside a git checkout");
        // in a linked worktree (git worktree add) the commit plugin reads the main checkout's HEAD
        // (git prints one of the two relative to the module folder and the other absolute, so compare real paths)
        assumeTrue(realPath(git("rev-parse", "--git-dir")).equals(realPath(git("rev-parse", "--git-common-dir"))),
                "the build runs in a repository's main checkout, not a linked worktree");
        String commit = Version.commit();
        String id = commit.endsWith("-dirty") ? commit.substring(0, commit.length() - "-dirty".length()) : commit;
        assertThat(id).hasSizeGreaterThanOrEqualTo(7);
        assertThat(head).startsWith(id);
    }

    @Test
    void aBuildWithoutGitOrFilteringSaysUnknown() {
        Properties unfiltered = new Properties();
        unfiltered.setProperty("commit", "${git.commit.id.abbrev}");
        assertThat(Version.commitOf(unfiltered)).isEqualTo("unknown");
        assertThat(Version.commitOf(new Properties())).isEqualTo("unknown");
        Properties dirty = new Properties();
        dirty.setProperty("commit", "abc1234");
        dirty.setProperty("dirty", "true");
        assertThat(Version.commitOf(dirty)).isEqualTo("abc1234-dirty");
    }

    private static java.nio.file.Path realPath(String path) throws IOException {
        return path == null ? null : java.nio.file.Path.of(path).toAbsolutePath().toRealPath();
    }

    private static String git(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException noGit) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    }
}

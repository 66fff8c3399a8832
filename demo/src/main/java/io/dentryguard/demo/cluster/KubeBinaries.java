package io.dentryguard.demo.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where tools/kube-binaries/build.sh puts the kube-apiserver and etcd that the tests run, and so the
 * demo: {@code $KUBE_BINARIES_DIR}, else {@code .cache/kube-api-test} of the checkout, in kube-api-test's
 * layout {@code k8s/VERSION-linux-ARCH/}, VERSION as tools/kube-binaries/go.mod pins k8s.io/kubernetes.
 *
 * @param testDir   the directory kube-api-test is given ({@code null} where no checkout was found)
 * @param version   the Kubernetes version, e.g. 1.33.13 ({@code null} likewise)
 * @param notFound  why there is no binary directory to look in, or {@code null}
 */
public record KubeBinaries(Path testDir, String version, String notFound) {
    static final String GO_MOD = "tools/kube-binaries/go.mod";
    private static final Pattern KUBERNETES = Pattern.compile("(?m)^\\s*k8s\\.io/kubernetes v(\\d+\\.\\d+\\.\\d+)\\b");

    /** From the launcher's {@code -Ddentryguard.home}, else the first directory up from here with tools/kube-binaries. */
    public static KubeBinaries locate() {
        return locate(System.getProperty("dentryguard.home"), System.getenv("KUBE_BINARIES_DIR"), Path.of("").toAbsolutePath());
    }

    static KubeBinaries locate(String home, String binariesDir, Path workingDir) {
        Optional<Path> checkout = home != null ? Optional.of(Path.of(home)) : checkoutAbove(workingDir);
        if (checkout.isEmpty() || !Files.isRegularFile(checkout.get().resolve(GO_MOD))) {
            return new KubeBinaries(null, null, "no " + GO_MOD + " in " + checkout.map(Path::toString).orElse("any directory above " + workingDir)
                    + " to read the Kubernetes version from (run the demo from its checkout)");
        }
        Path testDir = binariesDir != null ? Path.of(binariesDir) : checkout.get().resolve(".cache/kube-api-test");
        return new KubeBinaries(testDir, pinnedVersion(checkout.get().resolve(GO_MOD)), null);
    }

    private static Optional<Path> checkoutAbove(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(GO_MOD))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String pinnedVersion(Path goMod) {
        try {
            Matcher m = KUBERNETES.matcher(Files.readString(goMod));
            if (!m.find()) {
                throw new IllegalStateException(goMod + " pins no k8s.io/kubernetes version");
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory that holds kube-apiserver and etcd. */
    public Path binaryDir() {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
        return testDir.resolve("k8s").resolve(version + "-linux-" + arch);
    }

    public boolean built() {
        return notFound == null && Files.isExecutable(binaryDir().resolve("kube-apiserver")) && Files.isExecutable(binaryDir().resolve("etcd"));
    }

    /** These, where built; else an IllegalStateException naming the directory looked in and the command that builds them. */
    public KubeBinaries requireBuilt() {
        if (notFound != null) {
            throw new IllegalStateException("no real API server: " + notFound);
        }
        if (!built()) {
            throw new IllegalStateException("no kube-apiserver " + version + " and etcd in " + binaryDir()
                    + ": build them with tools/kube-binaries/build.sh (needs Go 1.24 or newer, about 7 minutes)");
        }
        return this;
    }
}

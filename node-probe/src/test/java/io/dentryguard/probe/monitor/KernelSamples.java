package io.dentryguard.probe.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Kernel files captured from (or written exactly as) several kernel generations, in test resources. */
final class KernelSamples {
    static final String[] KERNELS = {"linux-2.6.32", "linux-3.10", "linux-4.19", "linux-5.4", "linux-6.18"};

    private KernelSamples() {}

    static String read(String kernel, String file) {
        String resource = "/proc/" + kernel + "/" + file;
        try (InputStream in = KernelSamples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KernelRelease release(String kernel) throws ProcFormatException {
        return KernelRelease.parse(read(kernel, "osrelease"));
    }
}

package io.dentryguard.probe.monitor;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The running kernel's release string ("6.18.44-fc-v782") and the version it starts with. */
public record KernelRelease(String release, int major, int minor) {
    public static final String SOURCE = "/proc/sys/kernel/osrelease";
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    public static KernelRelease parse(String text) throws ProcFormatException {
        String release = text == null ? "" : text.strip();
        Matcher m = VERSION.matcher(release);
        if (!m.find()) {
            throw new ProcFormatException(SOURCE, "no kernel version at the start of '" + Numbers.shorten(release) + "'");
        }
        try {
            return new KernelRelease(release, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw new ProcFormatException(SOURCE, "kernel version out of range: '" + Numbers.shorten(release) + "'");
        }
    }

    public boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }
}

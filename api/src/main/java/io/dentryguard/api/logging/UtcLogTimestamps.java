package io.dentryguard.api.logging;

import java.time.ZoneOffset;
import java.util.TimeZone;
import org.slf4j.LoggerFactory;

/**
 * Log timestamps in UTC for the probe and the operator, whatever the zone of the machine or the
 * container: slf4j-simple (configured by simplelogger.properties in this module) has no zone
 * setting and formats with a SimpleDateFormat made in the JVM's default zone when the first logger
 * is created.
 *
 * <p>{@link #install()}, called before any logger exists, creates the logging factory under UTC and
 * then restores the default zone: only the log timestamps are UTC, and the rest of the program (the
 * probe's live table shows the watching person's local time) is unchanged. Launcher flags
 * ({@code -Duser.timezone=UTC}) were not chosen: they would be missed by a plain {@code java -jar}
 * or a container's own entry point, and they change the zone of the whole JVM.
 */
public final class UtcLogTimestamps {
    private UtcLogTimestamps() {}

    /** Call first thing in main, before any class with a logger is loaded; later calls change nothing. */
    public static synchronized void install() {
        TimeZone zone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(ZoneOffset.UTC));
        try {
            LoggerFactory.getILoggerFactory();
        } finally {
            TimeZone.setDefault(zone);
        }
    }
}

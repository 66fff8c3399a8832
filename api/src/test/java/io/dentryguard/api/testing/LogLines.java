package io.dentryguard.api.testing;

import java.util.regex.Pattern;

/** The one log line format of the probe and the operator (api's simplelogger.properties), for the process tests of both. */
public final class LogLines {
    private LogLines() {}

    /** A log line: ISO-8601 timestamp in UTC (always Z), level, then the short logger name and the message. */
    public static final Pattern UTC_LINE =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z (TRACE|DEBUG|INFO|WARN|ERROR) .+");

    /** The environment of a process test that proves the point: a zone far from UTC. */
    public static final String FAR_FROM_UTC = "Asia/Tokyo";
}

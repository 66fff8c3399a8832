package io.dentryguard.probe.monitor;

/**
 * A kernel file was read but does not have the layout we expect. The message names the file and
 * what was wrong, so that it can go straight into a log line and a status reason.
 */
public class ProcFormatException extends Exception {
    public ProcFormatException(String source, String problem) {
        super(source + ": " + problem);
    }
}

package io.dentryguard.probe.monitor;

/** Strict parsing of the unsigned decimal fields that /proc files are made of. */
final class Numbers {
    private Numbers() {}

    /** Parses a non-negative decimal integer, refusing signs, blanks and overflow. */
    static long unsigned(String source, String field, String token) throws ProcFormatException {
        if (token == null || token.isEmpty()) {
            throw new ProcFormatException(source, "field " + field + " is missing");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProcFormatException(source, "field " + field + " is not a number: '" + shorten(token) + "'");
            }
        }
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw new ProcFormatException(source, "field " + field + " is out of range: '" + shorten(token) + "'");
        }
    }

    /** Whitespace-separated fields; by hand, as String.split would compile a regex every sample. */
    static String[] fields(String line) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(line.substring(start, i));
            }
        }
        return out.toArray(new String[0]);
    }

    static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}

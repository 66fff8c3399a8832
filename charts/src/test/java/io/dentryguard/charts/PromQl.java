package io.dentryguard.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series selectors of a PromQL expression (metric name and label matchers), found by a small
 * tokenizer: enough for the rules and dashboard queries of this chart, whose syntax promtool
 * checks separately. An identifier is a metric name unless it is a keyword, is followed by
 * {@code (} (a function or aggregation) or by {@code by}/{@code without}, or is a label inside
 * {@code {...}} or in a {@code by (...)}-like list; range and subquery brackets are skipped.
 */
final class PromQl {
    private PromQl() {}

    record LabelMatcher(String label, String op, String value) {}

    record Selector(String metric, List<LabelMatcher> matchers) {}

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2");
    /** Keywords followed by a parenthesized list of label names. */
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private static final Pattern TOKEN = Pattern.compile(
            "\\s+|(?<str>\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`)"
            + "|(?<id>[a-zA-Z_:][a-zA-Z0-9_:]*)|(?<num>[0-9.][0-9a-zA-Z.+]*)|(?<op>=~|!~|!=|==|>=|<=|.)");

    private record Token(String kind, String text) {}

    static List<Selector> selectors(String expr) {
        List<Token> tokens = tokenize(expr);
        List<Selector> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            String next = i + 1 < tokens.size() ? tokens.get(i + 1).text() : "";
            if (t.text().equals("[")) {
                i = skipTo(tokens, i, "]");
            } else if (t.kind().equals("id") && LABEL_LISTS.contains(t.text()) && next.equals("(")) {
                i = skipTo(tokens, i + 1, ")");
            } else if (t.kind().equals("id") && !KEYWORDS.contains(t.text())
                    && !next.equals("(") && !next.equals("by") && !next.equals("without")) {
                List<LabelMatcher> matchers = new ArrayList<>();
                if (next.equals("{")) {
                    i = matchers(tokens, i + 1, matchers);
                }
                out.add(new Selector(t.text(), matchers));
            } else if (t.text().equals("{")) {
                List<LabelMatcher> matchers = new ArrayList<>();
                i = matchers(tokens, i, matchers);
                String name = matchers.stream().filter(m -> m.label().equals("__name__") && m.op().equals("="))
                        .map(LabelMatcher::value).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("a selector without a metric name in: " + expr));
                out.add(new Selector(name, matchers));
            }
        }
        return out;
    }

    /** Reads {@code {l="v", ...}} from the token at {@code open}; returns the index of the closing brace. */
    private static int matchers(List<Token> tokens, int open, List<LabelMatcher> into) {
        int i = open + 1;
        while (!tokens.get(i).text().equals("}")) {
            if (tokens.get(i).text().equals(",")) {
                i++;
                continue;
            }
            Token label = tokens.get(i);
            Token op = tokens.get(i + 1);
            Token value = tokens.get(i + 2);
            if (!label.kind().equals("id") || !value.kind().equals("str")) {
                throw new IllegalArgumentException("cannot read the matcher at " + label.text() + " " + op.text() + " " + value.text());
            }
            into.add(new LabelMatcher(label.text(), op.text(), unquote(value.text())));
            i += 3;
        }
        return i;
    }

    private static int skipTo(List<Token> tokens, int from, String close) {
        int i = from;
        while (!tokens.get(i).text().equals(close)) {
            i++;
        }
        return i;
    }

    private static String unquote(String s) {
        String body = s.substring(1, s.length() - 1);
        return s.startsWith("`") ? body : body.replaceAll("\\\\(.)", "$1");
    }

    private static List<Token> tokenize(String expr) {
        List<Token> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(expr);
        int at = 0;
        while (at < expr.length() && m.find(at) && m.start() == at) {
            for (String kind : List.of("str", "id", "num", "op")) {
                if (m.group(kind) != null) {
                    tokens.add(new Token(kind, m.group(kind)));
                }
            }
            at = m.end();
        }
        if (at != expr.length()) {
            throw new IllegalArgumentException("cannot read the expression from " + expr.substring(at));
        }
        return tokens;
    }
}

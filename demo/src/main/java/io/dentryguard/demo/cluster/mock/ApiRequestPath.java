package io.dentryguard.demo.cluster.mock;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A request's path split as the API server reads it:
 * {@code /api/v1[/namespaces/NS]/PLURAL[/NAME[/SUBRESOURCE]]} or the same under
 * {@code /apis/GROUP/VERSION}, and its query parameters (decoded).
 */
public record ApiRequestPath(String path, Map<String, String> query) {

    /** A resource request's parts; the core group is "". */
    public record Resource(String group, String version, String namespace, String plural, String name, String subresource) {
    }

    public static ApiRequestPath of(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        Map<String, String> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
        }
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        return new ApiRequestPath(path.length() > 1 ? path.replaceAll("/+$", "") : path, query);
    }

    /** The resource this path names, if it names one (discovery paths name none). */
    public Optional<Resource> resource() {
        String[] s = path.substring(1).split("/");
        int start;
        String group;
        if (s[0].equals("api") && s.length >= 3) {
            group = "";
            start = 1;
        } else if (s[0].equals("apis") && s.length >= 4) {
            group = s[1];
            start = 2;
        } else {
            return Optional.empty();
        }
        String version = s[start];
        int i = start + 1;
        String namespace = null;
        if (s[i].equals("namespaces") && s.length >= i + 3) {
            namespace = s[i + 1];
            i += 2;
        }
        return Optional.of(new Resource(group, version, namespace, s[i], s.length > i + 1 ? s[i + 1] : null,
                s.length > i + 2 ? s[i + 2] : null));
    }

    /** This path and query without the parameter {@code name} (encoded again). */
    public String without(String name) {
        String rest = query.entrySet().stream().filter(e -> !e.getKey().equals(name))
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        return rest.isEmpty() ? path : path + "?" + rest;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

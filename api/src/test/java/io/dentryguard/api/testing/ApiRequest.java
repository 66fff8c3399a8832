package io.dentryguard.api.testing;

/**
 * One request an API server of the tests answered: as the mock recorded it, or as the real
 * server's audit log has it (where {@code contentType} and {@code accept} are unknown, null, and
 * {@code body} is the request object of writes).
 *
 * @param path the path and query, e.g. {@code /apis/dentryguard.io/v1alpha1/nodehealths/node-a/status}
 */
public record ApiRequest(String method, String path, String contentType, String accept, String body) {
    public boolean mutates() {
        return !method.equals("GET");
    }

    @Override
    public String toString() {
        return method + " " + path + " " + body;
    }
}

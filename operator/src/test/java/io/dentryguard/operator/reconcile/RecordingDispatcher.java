package io.dentryguard.operator.reconcile;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The mock API server's CRUD store, recording every request's method, path and body. */
final class RecordingDispatcher extends KubernetesCrudDispatcher {
    record Request(String method, String path, String body) {
        boolean mutates() {
            return !method.equals("GET");
        }

        @Override
        public String toString() {
            return method + " " + path + " " + body;
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(new Request(request.getMethod(), request.getPath(), request.getBody() == null ? "" : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8)));
        return super.dispatch(request);
    }

    /** Requests that change a Node (spec or status). */
    long nodeMutations() {
        return requests.stream().filter(Request::mutates).filter(r -> r.path().startsWith("/api/v1/nodes")).count();
    }
}

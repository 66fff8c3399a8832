package io.dentryguard.operator;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The mock API server's CRUD store, recording every request's method and path. */
final class RecordingDispatcher extends KubernetesCrudDispatcher {
    final List<String> requests = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request.getMethod() + " " + request.getPath());
        return super.dispatch(request);
    }

    long mutationsOfNodes() {
        return requests.stream()
                .filter(r -> !r.startsWith("GET "))
                .filter(r -> r.contains(" /api/v1/nodes"))
                .count();
    }
}

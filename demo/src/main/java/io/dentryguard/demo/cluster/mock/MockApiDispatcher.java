package io.dentryguard.demo.cluster.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dentryguard.demo.cluster.table.ServerSideTable;
import io.dentryguard.demo.cluster.table.TablePrinters;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * fabric8's CRUD store with what kubectl and the eviction API need of an API server in front of it:
 * discovery, typed lists, field selectors on any field of a list, server-side tables, and
 * evictions. Everything else (create, get, update, JSON and merge patches, the status subresource,
 * watches) is the store's.
 */
public final class MockApiDispatcher extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
    private final ApiDiscovery discovery = new ApiDiscovery();
    private final TablePrinters printers = new TablePrinters();
    private final Clock clock;

    public MockApiDispatcher(Clock clock) {
        this.clock = clock;
    }

    /** Serves {@code crd}'s resources in discovery and prints them with its columns (the store learns of it when it is created). */
    public synchronized MockApiDispatcher withCustomResource(CustomResourceDefinition crd) {
        discovery.withCustomResource(crd);
        printers.withCustomResource(crd);
        return this;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        ApiRequestPath path = ApiRequestPath.of(request.getPath());
        Optional<ApiRequestPath.Resource> resource = path.resource();
        boolean get = request.getMethod().equals("GET");
        if (get && resource.isEmpty()) {
            Optional<String> document = discoveryDocument(path.path());
            if (document.isPresent()) {
                return json(200, document.get());
            }
        }
        if (resource.isPresent() && request.getMethod().equals("POST") && resource.get().plural().equals("pods")
                && "eviction".equals(resource.get().subresource())) {
            return evict(resource.get());
        }
        if (resource.isEmpty() || !get) {
            return asJson(store.dispatch(request));
        }
        if ("true".equals(path.query().get("watch"))) {
            return store.dispatch(request);
        }
        MockResponse response = getOrList(request.getPath(), path, resource.get());
        String accept = request.getHeader("Accept");
        if (response.code() == 200 && accept != null && accept.contains("as=Table")) {
            return json(200, table(resource.get(), read(response)).toString());
        }
        return response;
    }

    private synchronized Optional<String> discoveryDocument(String path) {
        return discovery.document(path);
    }

    private synchronized ObjectNode table(ApiRequestPath.Resource r, JsonNode listOrObject) {
        return ServerSideTable.of(printers.forResource(r.group(), r.plural()), listOrObject, clock.instant());
    }

    /**
     * A get, or a list as the real server sends it: of kind {@code PodList} (the store says {@code List},
     * which client-go's typed clients, kubectl describe's, do not read as pods), its field selector
     * applied to the whole objects (the store matches field selectors against names and namespaces
     * only, so a list by {@code spec.nodeName} or {@code involvedObject.name} found nothing).
     */
    private MockResponse getOrList(String requested, ApiRequestPath path, ApiRequestPath.Resource r) {
        String selector = path.query().getOrDefault("fieldSelector", "");
        MockResponse response = asJson(store.handleGet(selector.isBlank() ? requested : path.without("fieldSelector")));
        if (r.name() != null || response.code() != 200) {
            return response;
        }
        ObjectNode list = (ObjectNode) read(response);
        if (!selector.isBlank()) {
            FieldSelector fields = FieldSelector.parse(selector);
            ArrayNode kept = JSON.createArrayNode();
            list.path("items").forEach(item -> {
                if (fields.matches(item)) {
                    kept.add(item);
                }
            });
            list.set("items", kept);
        }
        String groupVersion = r.group().isEmpty() ? r.version() : r.group() + "/" + r.version();
        Optional<String> kind;
        synchronized (this) {
            kind = discovery.kind(groupVersion, r.plural());
        }
        kind.ifPresent(k -> list.put("apiVersion", groupVersion).put("kind", k + "List"));
        return json(200, list.toString());
    }

    /**
     * The Eviction API as the real server answers it when no disruption budget stands in the way: the
     * pod deleted and 201 with a success Status; 404 where there is no such pod. (The store alone
     * answers 409 to an eviction and leaves the client waiting where the pod is missing.)
     */
    private MockResponse evict(ApiRequestPath.Resource pod) {
        MockResponse deleted = store.handleDelete("/api/v1/namespaces/" + pod.namespace() + "/pods/" + pod.name());
        if (deleted.code() == 404) {
            return json(404, """
                    {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"%s\\" not found",\
                    "reason":"NotFound","details":{"name":"%s","kind":"pods"},"code":404}""".formatted(pod.name(), pod.name()));
        }
        return json(201, """
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}""");
    }

    private static JsonNode read(MockResponse response) {
        try {
            return JSON.readTree(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The store's answers carry no Content-Type, and client-go then decodes them as what it asked for:
     * protobuf, for kubectl describe.
     */
    private static MockResponse asJson(MockResponse response) {
        return response.header("Content-Type") == null ? response.setHeader("Content-Type", "application/json") : response;
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }
}

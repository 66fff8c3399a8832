package io.dentryguard.operator.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** /metrics for Prometheus and /healthz for the kubelet's probes, on the JDK's own HTTP server. */
final class HttpEndpoints implements AutoCloseable {
    private final HttpServer server;

    HttpEndpoints(String address, int port, Supplier<String> metrics, BooleanSupplier healthy) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, port), 0);
        server.createContext("/metrics", x -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        server.createContext("/healthz", x -> {
            boolean ok = healthy.getAsBoolean();
            send(x, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "informers not healthy\n");
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

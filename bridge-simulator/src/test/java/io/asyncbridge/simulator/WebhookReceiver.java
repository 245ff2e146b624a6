package io.asyncbridge.simulator;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.IntSupplier;

/** A tiny webhook receiver on port 0 (JDK HTTP server) that records what arrives and answers as told. */
public final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> events;
    private volatile IntSupplier status = () -> 200;

    /** @param events shared timeline; each delivery appends "webhook" when it arrives */
    public WebhookReceiver(List<String> events) {
        this.events = events;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
            received.add(new Received(exchange.getRequestURI().getPath(), headers, body));
            events.add("webhook");
            int code = status.getAsInt();
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    public WebhookReceiver() {
        this(new CopyOnWriteArrayList<>());
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void answerWith(IntSupplier status) {
        this.status = status;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public record Received(String path, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name);
        }
    }
}

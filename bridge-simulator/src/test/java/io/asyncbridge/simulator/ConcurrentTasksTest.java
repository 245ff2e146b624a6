package io.asyncbridge.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.asyncbridge.simulator.config.SimulatorConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Thousands of tasks at once: the simulator must keep up without timers per Acquia task or blocking. */
class ConcurrentTasksTest {

    private static final int ACQUIA_TASKS = 2000;
    private static final int ELEMENTS_JOBS = 500;

    @Test
    void handlesThousandsOfConcurrentTasks() {
        try (UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorConfig.builder()
                .taskDuration(Duration.ofMillis(500)).webhookDelay(Duration.ofMillis(300)).build());
             WebhookReceiver receiver = new WebhookReceiver()) {
            TestHttp http = new TestHttp(simulator);
            String token = http.token();

            List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
            for (int i = 0; i < ACQUIA_TASKS; i++) {
                creates.add(http.client().sendAsync(http.createDatabase(token, null).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < ELEMENTS_JOBS; i++) {
                creates.add(http.client().sendAsync(HttpRequest.newBuilder(URI.create(simulator.elementsBaseUrl() + "/hubs/documents/files"))
                        .header("Authorization", SimulatorConfig.DEFAULT_ELEMENTS_AUTHORIZATION)
                        .header("Elements-Async-Request", "True")
                        .header("Elements-Async-Callback-Url", receiver.url("/cb"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"/f" + i + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<HttpResponse<String>> answers = creates.stream().map(CompletableFuture::join).toList();
            assertThat(answers.subList(0, ACQUIA_TASKS)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(202));
            assertThat(answers.subList(ACQUIA_TASKS, answers.size())).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));

            Set<String> completed = ConcurrentHashMap.newKeySet();
            List<String> hrefs = answers.subList(0, ACQUIA_TASKS).stream()
                    .map(r -> TestHttp.json(r).at("/_links/notification/href").asText()).toList();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<CompletableFuture<Void>> polls = new ArrayList<>();
                for (String href : hrefs) {
                    if (!completed.contains(href)) {
                        polls.add(http.client().sendAsync(HttpRequest.newBuilder(URI.create(href))
                                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString())
                                .thenAccept(r -> {
                                    JsonNode body = TestHttp.json(r);
                                    if ("completed".equals(body.get("status").asText())) {
                                        completed.add(href);
                                    }
                                }));
                    }
                }
                CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).join();
                return completed.size() == ACQUIA_TASKS;
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() == ELEMENTS_JOBS);
            assertThat(simulator.stats().webhooksDelivered()).isEqualTo(ELEMENTS_JOBS);
            assertThat(simulator.stats().acquiaCreateCalls()).isEqualTo(ACQUIA_TASKS);
        }
    }
}

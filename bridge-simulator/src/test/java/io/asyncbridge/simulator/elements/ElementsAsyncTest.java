package io.asyncbridge.simulator.elements;

import com.fasterxml.jackson.databind.JsonNode;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.TestHttp;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.simulator.stats.WebhookAttempt;
import io.asyncbridge.simulator.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ElementsAsyncTest {

    private static final String KEY = SimulatorConfig.DEFAULT_ELEMENTS_SIGNATURE_KEY;
    private static final String COPY_FOLDER = "{\"path\":\"/testfoldercopy\",\"tags\":[\"TestFolderCopy\"],\"name\":\"TestFolderCopy\"}";

    private final List<String> timeline = new CopyOnWriteArrayList<>();
    private final WebhookReceiver receiver = new WebhookReceiver(timeline);
    private UpstreamSimulator simulator;
    private TestHttp http;

    private void start(SimulatorConfig.Builder config) {
        simulator = UpstreamSimulator.start(config.webhookDelay(Duration.ofMillis(100))
                .webhookRetrySchedule(List.of(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(50)))
                .build());
        http = new TestHttp(simulator);
    }

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
        receiver.close();
    }

    @Test
    void asyncRequestIsDispatchedAndCompletedByASignedWebhook() {
        start(SimulatorConfig.builder());

        HttpResponse<String> response = http.send(copyFolder(null, receiver.url("/hooks/elements")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode accepted = TestHttp.json(response);
        long eventId = accepted.get("eventId").asLong();
        assertThat(accepted.get("eventStatus").asText()).isEqualTo("dispatched");
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 1);
        WebhookReceiver.Received webhook = receiver.received().get(0);
        assertThat(webhook.path()).isEqualTo("/hooks/elements");
        assertThat(webhook.header("Content-Type")).isEqualTo("application/json");
        assertThat(ElementsSignature.verify(KEY, webhook.body(), webhook.header("Elements-Webhook-Signature"))).isTrue();
        assertThat(webhook.header("Elements-Webhook-Signature")).isEqualTo(ElementsSignature.sign(KEY, webhook.body()));
        JsonNode body = json(webhook.body());
        assertThat(body.get("eventId").asLong()).isEqualTo(eventId);
        assertThat(body.get("instanceId").asLong()).isEqualTo(30);
        assertThat(body.get("notificationId").isNumber()).isTrue();
        assertThat(body.at("/response/events/0/path").asText()).isEqualTo("/testfoldercopy");
        assertThat(body.at("/response/events/0/metadata/name").asText()).isEqualTo("TestFolderCopy");
        await().atMost(Duration.ofSeconds(2)).until(() -> simulator.stats().webhookStatuses(eventId).equals(List.of(200)));
        assertThat(simulator.stats().elementsCreateCalls()).isEqualTo(1);
    }

    @Test
    void eventIdsIncrease() {
        start(SimulatorConfig.builder());

        long first = TestHttp.json(http.send(copyFolder("never", receiver.url("/")).build())).get("eventId").asLong();
        long second = TestHttp.json(http.send(copyFolder("never", receiver.url("/")).build())).get("eventId").asLong();

        assertThat(second).isGreaterThan(first);
    }

    @Test
    void withoutAsyncHeaderTheCallIsAnsweredSynchronously() {
        start(SimulatorConfig.builder());

        HttpResponse<String> response = http.send(request(null, receiver.url("/"))
                .POST(HttpRequest.BodyPublishers.ofString(COPY_FOLDER)).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(response).has("eventId")).isFalse();
    }

    @Test
    void missingCallbackUrlIsA400() {
        start(SimulatorConfig.builder());

        HttpResponse<String> response = http.send(copyFolder(null, null).build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(response).get("message").asText()).containsIgnoringCase("callback URL is required");
    }

    @Test
    void instanceCallbackUrlIsUsedWhenTheRequestHasNone() {
        start(SimulatorConfig.builder().elementsInstanceCallbackUrl(receiver.url("/instance")));

        assertThat(http.send(copyFolder(null, null).build()).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 1);
        assertThat(receiver.received().get(0).path()).isEqualTo("/instance");
    }

    @Test
    void wrongAuthorizationIsA401() {
        start(SimulatorConfig.builder());

        HttpResponse<String> response = http.send(copyFolder(null, receiver.url("/"))
                .setHeader("Authorization", "User nobody, Element nothing").build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(response).get("message").asText()).isNotBlank();
        assertThat(simulator.stats().unauthorizedRequests()).isEqualTo(1);
    }

    @Test
    void duplicateDeliversTheSameWebhookSeveralTimes() {
        start(SimulatorConfig.builder());

        http.send(copyFolder("duplicate=3", receiver.url("/")).build());

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 3);
        List<WebhookReceiver.Received> all = receiver.received();
        assertThat(all).allSatisfy(w -> assertThat(w.body()).isEqualTo(all.get(0).body()));
        assertThat(all).allSatisfy(w -> assertThat(ElementsSignature.verify(KEY, w.body(),
                w.header("Elements-Webhook-Signature"))).isTrue());
    }

    @Test
    void earlySendsTheWebhookBeforeAnsweringTheRequest() {
        start(SimulatorConfig.builder());

        HttpResponse<String> response = http.send(copyFolder("early", receiver.url("/")).build());
        timeline.add("response");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(timeline).containsExactly("webhook", "response");
        assertThat(json(receiver.received().get(0).body()).get("eventId").asLong())
                .isEqualTo(TestHttp.json(response).get("eventId").asLong());
    }

    @Test
    void failDeliversAWebhookCarryingAnError() {
        start(SimulatorConfig.builder());

        http.send(copyFolder("fail", receiver.url("/")).build());

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 1);
        JsonNode body = json(receiver.received().get(0).body());
        assertThat(body.get("eventStatus").asText()).isEqualTo("failed");
        assertThat(body.at("/response/error/message").asText()).isEqualTo("folder not found");
        assertThat(body.at("/response").has("events")).isFalse();
    }

    @Test
    void badsigSendsASignatureThatDoesNotVerify() {
        start(SimulatorConfig.builder());

        http.send(copyFolder("badsig", receiver.url("/")).build());

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 1);
        WebhookReceiver.Received webhook = receiver.received().get(0);
        assertThat(webhook.header("Elements-Webhook-Signature")).startsWith("sha256=");
        assertThat(ElementsSignature.verify(KEY, webhook.body(), webhook.header("Elements-Webhook-Signature"))).isFalse();
    }

    @Test
    void noSignatureKeyMeansNoSignatureHeader() {
        start(SimulatorConfig.builder().elementsSignatureKey(null));

        http.send(copyFolder(null, receiver.url("/")).build());

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 1);
        assertThat(receiver.received().get(0).header("Elements-Webhook-Signature")).isNull();
    }

    @Test
    void rejectAnswers400AndSendsNothing() {
        start(SimulatorConfig.builder());

        HttpResponse<String> response = http.send(copyFolder("reject", receiver.url("/")).build());

        assertThat(response.statusCode()).isEqualTo(400);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> receiver.received().isEmpty());
    }

    @Test
    void neverSendsNoWebhook() {
        start(SimulatorConfig.builder());

        HttpResponse<String> response = http.send(copyFolder("never,duration=50", receiver.url("/")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> receiver.received().isEmpty());
    }

    @Test
    void durationSetsWhenTheWebhookIsSent() {
        start(SimulatorConfig.builder());
        long started = System.nanoTime();

        http.send(copyFolder("duration=600", receiver.url("/")).build());

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void nonSuccessAnswersAreRetriedUntilDelivered() {
        start(SimulatorConfig.builder());
        AtomicInteger calls = new AtomicInteger();
        receiver.answerWith(() -> calls.incrementAndGet() <= 2 ? 500 : 204);

        long eventId = TestHttp.json(http.send(copyFolder(null, receiver.url("/")).build())).get("eventId").asLong();

        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.stats().webhookStatuses(eventId).size() == 3);
        assertThat(simulator.stats().webhookStatuses(eventId)).containsExactly(500, 500, 204);
        assertThat(simulator.stats().webhookAttempts(eventId)).extracting(WebhookAttempt::attempt).containsExactly(1, 2, 3);
        assertThat(simulator.stats().webhooksDelivered()).isEqualTo(1);
        assertThat(receiver.received()).hasSize(3);
    }

    @Test
    void retriesStopAfterTheSchedule() {
        start(SimulatorConfig.builder());
        receiver.answerWith(() -> 503);

        long eventId = TestHttp.json(http.send(copyFolder(null, receiver.url("/")).build())).get("eventId").asLong();

        // 1 attempt + 3 retries (the schedule above), then nothing more
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.stats().webhookStatuses(eventId).size() == 4);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> simulator.stats().webhookStatuses(eventId).size() == 4);
        assertThat(simulator.stats().webhookStatuses(eventId)).containsOnly(503);
    }

    @Test
    void connectionErrorsAreRecordedAsNoAnswerAndRetried() {
        start(SimulatorConfig.builder());
        String deadUrl = receiver.url("/");
        receiver.close();

        long eventId = TestHttp.json(http.send(copyFolder(null, deadUrl).build())).get("eventId").asLong();

        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.stats().webhookStatuses(eventId).size() == 4);
        assertThat(simulator.stats().webhookAttempts(eventId)).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(WebhookAttempt.NO_ANSWER);
            assertThat(a.error()).isNotBlank();
        });
    }

    @Test
    void aRepeatedIdempotencyKeyGetsTheFirstJobAndItsOneWebhook() {
        start(SimulatorConfig.builder());

        HttpResponse<String> first = http.send(copyFolder(null, receiver.url("/hooks/elements"))
                .header("Idempotency-Key", "copy-1").build());
        HttpResponse<String> again = http.send(copyFolder(null, receiver.url("/hooks/elements"))
                .header("Idempotency-Key", "copy-1").build());

        long eventId = TestHttp.json(first).get("eventId").asLong();
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(again).get("eventId").asLong()).isEqualTo(eventId);
        // the attempt is recorded when the receiver's answer comes back, a moment after the receiver has the webhook
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 1
                && !simulator.stats().webhookAttempts().isEmpty());
        assertThat(simulator.stats().idempotentReplays()).isEqualTo(1);
        assertThat(simulator.stats().webhookAttempts()).extracting(WebhookAttempt::eventId).containsOnly(eventId);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void aJobCanBeCancelledBeforeItsWebhookAndEveryCancelCallIsCounted() {
        start(SimulatorConfig.builder().webhookDelay(Duration.ofMillis(300)));

        long running = TestHttp.json(http.send(copyFolder("duration=300", receiver.url("/hooks")).build()))
                .get("eventId").asLong();
        long refusing = TestHttp.json(http.send(copyFolder("never,no-cancel", receiver.url("/hooks")).build()))
                .get("eventId").asLong();

        HttpResponse<String> cancelled = http.send(cancel(running).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(cancelled).get("eventStatus").asText()).isEqualTo("cancelled");
        assertThat(http.send(cancel(refusing).DELETE().build()).statusCode()).isEqualTo(409);
        assertThat(http.send(cancel(999_999).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
                .isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(simulator.elementsBaseUrl() + "/jobs/" + running
                + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
                .as("credentials are checked").isEqualTo(401);

        assertThat(simulator.stats().elementsCancelCalls(running)).isEqualTo(1);
        assertThat(simulator.stats().elementsCancelCalls(refusing)).isEqualTo(1);
        assertThat(simulator.stats().elementsCancelCalls()).isEqualTo(3);
        // A job started after the cancelled one, with the same duration, sends its webhook; the cancelled one never.
        long later = TestHttp.json(http.send(copyFolder("duration=300", receiver.url("/hooks")).build()))
                .get("eventId").asLong();
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.stats().webhookStatuses(later).equals(List.of(200)));
        assertThat(simulator.stats().webhookAttempts(running)).isEmpty();
    }

    private HttpRequest.Builder cancel(long eventId) {
        return HttpRequest.newBuilder(URI.create(simulator.elementsBaseUrl() + "/jobs/" + eventId + "/cancel"))
                .header("Authorization", SimulatorConfig.DEFAULT_ELEMENTS_AUTHORIZATION);
    }

    private HttpRequest.Builder copyFolder(String scenario, String callbackUrl) {
        return request(scenario, callbackUrl).header("Elements-Async-Request", "true")
                .POST(HttpRequest.BodyPublishers.ofString(COPY_FOLDER));
    }

    private HttpRequest.Builder request(String scenario, String callbackUrl) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(simulator.elementsBaseUrl() + "/hubs/documents/folders/copy?path=/TestFolderCreate"))
                .header("Authorization", SimulatorConfig.DEFAULT_ELEMENTS_AUTHORIZATION)
                .header("Content-Type", "application/json");
        if (callbackUrl != null) {
            request.header("Elements-Async-Callback-Url", callbackUrl);
        }
        if (scenario != null) {
            request.header("X-Simulator-Scenario", scenario);
        }
        return request;
    }

    private static JsonNode json(byte[] body) {
        try {
            return TestHttp.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

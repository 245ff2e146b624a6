package io.asyncbridge.ingest.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.upstream.UpstreamException;
import io.asyncbridge.core.upstream.UpstreamResponse;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.RequestMethod;
import io.asyncbridge.schemas.TaskRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerInterpreterTest {

  private final BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("test", """
      callbacks:
        publicBaseUrl: https://bridge.example.com
      providers:
        acquia:
          type: acquia
          baseUrl: https://cloud.acquia.com/api
          clientId: id
          clientSecret: secret
        documents:
          type: cloud-elements
          baseUrl: https://api.cloud-elements.com/elements/api-v2
          authorization: User a, Element b
      """);
  private final ProviderConfig acquia = config.provider("acquia").orElseThrow();
  private final ProviderConfig documents = config.provider("documents").orElseThrow();
  private final AnswerInterpreter answers = new AnswerInterpreter(EventJson.newMapper(),
      Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
  private final DispatchJob job = new DispatchJob("t-1", 1, 0,
      TaskRequest.of("t-1", "acquia", RequestMethod.POST, "/x"), Instant.MAX);

  private static UpstreamResponse response(int status, String body, Map<String, String> headers) {
    return new UpstreamResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void acquiaAcceptedWithANotificationLink() {
    DispatchEvent event = answers.interpret(job, acquia, response(202, """
        {"message":"Deploying artifact.","_links":{"notification":{"href":"https://cloud.acquia.com/api/notifications/1111"}}}
        """, Map.of()));

    assertThat(event.outcome()).isEqualTo(DispatchEvent.Outcome.ACCEPTED);
    assertThat(event.notificationUrl()).isEqualTo("https://cloud.acquia.com/api/notifications/1111");
    assertThat(event.httpStatus()).isEqualTo(202);
  }

  @Test
  void acceptedAnswersThatCannotBeFollowedFail() {
    assertThat(answers.interpret(job, acquia, response(202, "{\"message\":\"ok\"}", Map.of())).errorCode())
        .isEqualTo("missing_notification_link");
    assertThat(answers.interpret(job, acquia, response(202, "accepted!", Map.of())).errorCode())
        .isEqualTo("upstream_answer_not_json");
    DispatchEvent ssrf = answers.interpret(job, acquia, response(202,
        "{\"_links\":{\"notification\":{\"href\":\"http://169.254.169.254/latest/meta-data\"}}}", Map.of()));
    assertThat(ssrf.outcome()).isEqualTo(DispatchEvent.Outcome.FAILED);
    assertThat(ssrf.errorCode()).isEqualTo("notification_host_not_allowed");
    assertThat(ssrf.message()).contains("169.254.169.254");
  }

  @Test
  void cloudElementsAcceptedWithItsEventId() {
    DispatchEvent event = answers.interpret(job, documents,
        response(200, "{\"eventId\": 1028, \"eventStatus\": \"dispatched\"}", Map.of()));

    assertThat(event.outcome()).isEqualTo(DispatchEvent.Outcome.ACCEPTED);
    assertThat(event.correlationId()).isEqualTo("1028");
  }

  @Test
  void retriableAndFinalAnswersAreToldApart() {
    DispatchEvent throttled = answers.interpret(job, acquia, response(429, "", Map.of("retry-after", "7")));
    assertThat(throttled.outcome()).isEqualTo(DispatchEvent.Outcome.RETRY);
    assertThat(throttled.retryAfterMillis()).isEqualTo(7_000L);
    assertThat(answers.interpret(job, acquia, response(503, "", Map.of())).outcome()).isEqualTo(DispatchEvent.Outcome.RETRY);
    assertThat(answers.interpret(job, acquia, response(408, "", Map.of())).outcome()).isEqualTo(DispatchEvent.Outcome.RETRY);

    DispatchEvent refused = answers.interpret(job, documents,
        response(400, "{\"message\":\"No callback URL\"}", Map.of()));
    assertThat(refused.outcome()).isEqualTo(DispatchEvent.Outcome.REJECTED);
    assertThat(refused.httpStatus()).isEqualTo(400);
    assertThat(refused.body().path("message").asText()).isEqualTo("No callback URL");
  }

  @Test
  void failuresWithoutAnAnswer() {
    assertThat(answers.interpret(job, acquia, new UpstreamException(UpstreamException.Kind.TIMEOUT, "slow")).outcome())
        .isEqualTo(DispatchEvent.Outcome.RETRY);
    DispatchEvent badSecret = answers.interpret(job, acquia,
        new UpstreamException(UpstreamException.Kind.AUTH_REJECTED, "refused the client credentials"));
    assertThat(badSecret.outcome()).isEqualTo(DispatchEvent.Outcome.REJECTED);
    assertThat(badSecret.errorCode()).isEqualTo("upstream_auth_rejected");
  }
}

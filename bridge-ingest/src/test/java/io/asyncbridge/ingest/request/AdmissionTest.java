package io.asyncbridge.ingest.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.schemas.request.RequestParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Admission with plain inputs: bytes and what is known of taskIds in, a verdict out; nothing is written. */
class AdmissionTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final String VALID = "{\"taskId\":\"t-1\",\"provider\":\"acquia\",\"method\":\"POST\","
      + "\"path\":\"/applications/a/databases\",\"body\":{\"name\":\"db\"},\"timeout\":\"PT10M\"}";

  private final Admission admission = new Admission(RequestParser.create(), new RequestRules(new BridgeConfigLoader(
      Map.of()).parse("test", "providers:\n  acquia:\n    type: acquia\n    baseUrl: https://cloud.acquia.com/api\n"
          + "    clientId: a\n    clientSecret: b\n")), 4096);
  private final Map<String, Admission.Known> known = new HashMap<>();

  private Admission.Verdict admit(String key, String value) {
    return admit(key, value, NOW.minusSeconds(3).toEpochMilli(), false);
  }

  private Admission.Verdict admit(String key, String value, long timestamp, boolean redriven) {
    return admission.admit(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8), timestamp, NOW, redriven, known::get);
  }

  @Test
  void aValidRequestWithItsTaskIdAsKeyIsAcceptedWithItsDeadline() {
    Admission.Verdict verdict = admit("t-1", VALID);

    assertThat(verdict).isInstanceOfSatisfying(Admission.Accepted.class, accepted -> {
      assertThat(accepted.request().taskId()).isEqualTo("t-1");
      assertThat(accepted.submittedAt()).isEqualTo(NOW.minusSeconds(3));
      assertThat(accepted.deadline()).isEqualTo(NOW.minusSeconds(3).plus(Duration.ofMinutes(10)));
      assertThat(accepted.redrive()).isFalse();
    });
  }

  @Test
  void aTimestampFromTheFutureOrMissingMeansSubmittedNow() {
    assertThat(((Admission.Accepted) admit("t-1", VALID, NOW.plusSeconds(60).toEpochMilli(), false)).submittedAt())
        .isEqualTo(NOW);
    assertThat(((Admission.Accepted) admit("t-1", VALID, -1, false)).submittedAt()).isEqualTo(NOW);
  }

  @Test
  void aKnownTaskIdIsADuplicate() {
    known.put("t-1", new Admission.Known("SENDING", false));

    assertThat(admit("t-1", VALID)).isEqualTo(new Admission.Duplicate("t-1", "acquia", "SENDING"));
  }

  @Test
  void aRedrivenDeadLetterOfARejectedTaskIsAcceptedAgainButNoOtherRepeat() {
    known.put("t-1", new Admission.Known("DONE", true));

    assertThat(admit("t-1", VALID, NOW.toEpochMilli(), true)).isInstanceOfSatisfying(Admission.Accepted.class,
        accepted -> assertThat(accepted.redrive()).isTrue());
    assertThat(admit("t-1", VALID, NOW.toEpochMilli(), false)).isInstanceOf(Admission.Duplicate.class);
    known.put("t-1", new Admission.Known("DONE", false));
    assertThat(admit("t-1", VALID, NOW.toEpochMilli(), true)).isInstanceOf(Admission.Duplicate.class);
  }

  @Test
  void anInvalidRequestWithANewReadableTaskIdIsRejectedWithACompletion() {
    Admission.Verdict verdict = admit("t-2", "{\"taskId\":\"t-2\",\"provider\":\"acquia\"}");

    assertThat(verdict).isInstanceOfSatisfying(Admission.Rejected.class, rejected -> {
      assertThat(rejected.error().code()).isEqualTo("invalid_request");
      assertThat(rejected.origin()).hasValueSatisfying(origin -> assertThat(origin.taskId()).isEqualTo("t-2"));
      assertThat(rejected.completes()).isTrue();
    });
  }

  @Test
  void anInvalidRequestForAKnownTaskIdIsOnlyDeadLettered() {
    known.put("t-2", new Admission.Known("SENDING", false));

    assertThat(admit("t-2", "{\"taskId\":\"t-2\",\"provider\":\"acquia\"}"))
        .isInstanceOfSatisfying(Admission.Rejected.class, rejected -> assertThat(rejected.completes()).isFalse());
  }

  @Test
  void unreadableBytesAreRejectedWithoutATask() {
    assertThat(admit(null, "not json")).isInstanceOfSatisfying(Admission.Rejected.class, rejected -> {
      assertThat(rejected.origin()).isEmpty();
      assertThat(rejected.completes()).isFalse();
    });
  }

  @Test
  void theKeyMustBeTheTaskId() {
    assertThat(admit("other", VALID)).isInstanceOfSatisfying(Admission.Rejected.class, rejected -> {
      assertThat(rejected.error().code()).isEqualTo("invalid_key");
      assertThat(rejected.error().message()).contains("'other'");
      assertThat(rejected.completes()).isTrue();
    });
  }

  @Test
  void aTooLargeRequestIsRejectedAndNamesItsSize() {
    String large = "{\"taskId\":\"t-3\",\"provider\":\"acquia\",\"method\":\"POST\",\"body\":{\"x\":\""
        + "a".repeat(5000) + "\"}}";

    assertThat(admit("t-3", large)).isInstanceOfSatisfying(Admission.Rejected.class, rejected -> {
      assertThat(rejected.error().code()).isEqualTo("request_too_large");
      assertThat(rejected.origin()).hasValueSatisfying(origin -> assertThat(origin.taskId()).isEqualTo("t-3"));
    });
  }

  @Test
  void aRequestBreakingARuleIsRejectedWithTheRule() {
    assertThat(admit("t-4", VALID.replace("t-1", "t-4").replace("acquia", "nobody")))
        .isInstanceOfSatisfying(Admission.Rejected.class,
            rejected -> assertThat(rejected.error().code()).isEqualTo("unknown_provider"));
  }

  @Test
  void aCancelIsACancelOfTheTaskItsKeyNames() {
    assertThat(admit("t-1", "{\"taskId\":\"t-1\",\"cancel\":true,\"reason\":\"no longer needed\"}"))
        .isEqualTo(new Admission.Cancel("t-1", java.util.Optional.of("no longer needed")));
    assertThat(admit("t-9", "{\"taskId\":\"t-1\",\"cancel\":true}"))
        .isInstanceOfSatisfying(Admission.CancelRejected.class, rejected -> {
          assertThat(rejected.taskId()).isEqualTo("t-1");
          assertThat(rejected.error().code()).isEqualTo("invalid_key");
        });
  }
}

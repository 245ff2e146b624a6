package io.asyncbridge.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.StatusRules;
import io.asyncbridge.core.status.StatusReading.State;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading answers of the seeds' status words, Azure's status monitor, RFC 9110 status URLs and AIP-151 operations. */
class StatusReaderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static StatusRules rules(String type) {
    String extra = type.equals("acquia") ? "clientId: id\n    clientSecret: secret\n" : "";
    return new BridgeConfigLoader(Map.of()).parse("t.yaml", "providers:\n  p:\n    type: " + type
        + "\n    baseUrl: https://api.example.com\n    " + extra).provider("p").orElseThrow().status();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private final StatusReader acquia = new StatusReader(rules("acquia"));
  private final StatusReader http = new StatusReader(rules("http-lro"));
  private final StatusReader google = new StatusReader(new BridgeConfigLoader(Map.of()).parse("t.yaml", """
      providers:
        g:
          type: google-lro
          baseUrl: https://api.example.com/v1
          status: {progressPointer: /metadata/progressPercent}
      """).provider("g").orElseThrow().status());

  @Test
  void theSeedsWordsReadAsBefore() {
    assertThat(acquia.read(200, false, json("{\"status\":\"completed\",\"progress\":100}")))
        .extracting(StatusReading::state, StatusReading::progress).containsExactly(State.SUCCEEDED, 100);
    StatusReading failed = acquia.read(200, false, json("{\"status\":\"failed\"}"));
    assertThat(failed.errorCode()).isEqualTo("upstream_failed");
    assertThat(failed.message()).isEqualTo("the upstream reported the task as 'failed'");
    assertThat(acquia.read(200, false, json("{\"status\":\"queued\"}")).state()).isEqualTo(State.UNKNOWN);
    assertThat(acquia.read(200, false, json("{\"progress\":5}")).state()).isEqualTo(State.UNKNOWN);
    assertThat(acquia.read(200, false, json("[]")).state()).isEqualTo(State.NOT_A_RESOURCE);
    assertThat(acquia.read(200, false, null).state()).isEqualTo(State.NOT_A_RESOURCE);
    assertThat(acquia.read(200, false, MissingNode.getInstance()).state()).isEqualTo(State.NOT_A_RESOURCE);
    assertThat(acquia.read(202, false, json("{\"status\":\"started\",\"progress\":\"12.5\"}")))
        .extracting(StatusReading::state, StatusReading::progress).containsExactly(State.RUNNING, 12);
  }

  @Test
  void azureStatusMonitorWordsAndErrorObject() {
    assertThat(http.read(200, false, json("{\"status\":\"InProgress\",\"percentComplete\":40.5}")))
        .extracting(StatusReading::state, StatusReading::word, StatusReading::progress)
        .containsExactly(State.RUNNING, "InProgress", 40);
    assertThat(http.read(200, false, json("{\"status\":\"NotStarted\"}")).state()).isEqualTo(State.RUNNING);
    assertThat(http.read(200, false, json("{\"status\":\"Succeeded\"}")).state()).isEqualTo(State.SUCCEEDED);

    StatusReading failed = http.read(200, false, json("""
        {"id":"op-1","status":"Failed","error":{"code":"QuotaExceeded","message":"Not enough cores.","details":[]}}
        """));
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.errorCode()).isEqualTo("upstream_failed");
    assertThat(failed.message()).isEqualTo("the upstream reported the task as 'Failed': QuotaExceeded: Not enough cores.");
    assertThat(failed.result().get("id").asText()).as("the resource as received").isEqualTo("op-1");

    StatusReading canceled = http.read(200, false, json("{\"status\":\"Canceled\"}"));
    assertThat(canceled.errorCode()).isEqualTo("upstream_canceled");
    assertThat(canceled.message()).isEqualTo("the upstream canceled the task (status 'Canceled')");

    assertThat(http.read(200, false, json("{\"status\":\"Failed\",\"error\":\"boom\\u0007\"}")).message())
        .isEqualTo("the upstream reported the task as 'Failed': an error that is not an object ('boom')");
    assertThat(http.read(200, false, json("{\"status\":\"Failed\",\"error\":[1]}")).message())
        .endsWith(": an error that is not an object");
    assertThat(http.read(200, false, json("{\"status\":\"Failed\",\"error\":{}}")).message())
        .endsWith(": an error object without code or message");
    assertThat(http.read(200, false, json("{\"status\":\"Failed\",\"error\":{\"message\":\"" + "m".repeat(1000) + "\"}}"))
        .message()).hasSizeLessThan(400);
    assertThat(http.read(200, false, json("{\"status\":\"Paused\"}")).state()).isEqualTo(State.UNKNOWN);
  }

  @Test
  void anRfc9110StatusUrlSaysRunningWith202AndDoneWithTheFinalResource() {
    assertThat(http.read(202, false, MissingNode.getInstance()).state()).isEqualTo(State.RUNNING);
    assertThat(http.read(202, false, json("{\"name\":\"vm-1\"}")).state()).isEqualTo(State.RUNNING);
    assertThat(http.read(200, true, json("{\"name\":\"vm-1\"}")).state())
        .as("a further Location: not final yet").isEqualTo(State.RUNNING);

    StatusReading done = http.read(200, false, json("{\"name\":\"vm-1\",\"location\":\"westeurope\"}"));
    assertThat(done.state()).isEqualTo(State.SUCCEEDED);
    assertThat(done.result().get("name").asText()).isEqualTo("vm-1");
    assertThat(http.read(204, false, MissingNode.getInstance()))
        .extracting(StatusReading::state, StatusReading::result).containsExactly(State.SUCCEEDED, null);
    assertThat(http.read(200, false, json("[1,2]")).state()).isEqualTo(State.SUCCEEDED);
    assertThat(http.read(200, false, null).state()).as("a page that is not JSON is no final resource")
        .isEqualTo(State.NOT_A_RESOURCE);
  }

  @Test
  void anAip151OperationIsDecidedByDone() {
    assertThat(google.read(200, false, json("{\"name\":\"operations/1\",\"metadata\":{\"progressPercent\":30}}")))
        .extracting(StatusReading::state, StatusReading::word, StatusReading::progress)
        .containsExactly(State.RUNNING, null, 30);
    assertThat(google.read(200, false, json("{\"name\":\"operations/1\",\"done\":false}")).state())
        .isEqualTo(State.RUNNING);

    StatusReading done = google.read(200, false, json("""
        {"name":"operations/1","done":true,"response":{"@type":"type.googleapis.com/x.Instance","name":"i-1"}}
        """));
    assertThat(done.state()).isEqualTo(State.SUCCEEDED);
    assertThat(done.result().get("name").asText()).as("the response is the result").isEqualTo("i-1");
    assertThat(google.read(200, false, json("{\"name\":\"operations/1\",\"done\":true}")).result().get("name").asText())
        .as("no response: the operation itself").isEqualTo("operations/1");

    StatusReading failed = google.read(200, false, json("""
        {"name":"operations/1","done":true,"error":{"code":3,"message":"bad disk size","details":[{"@type":"x"}]}}
        """));
    assertThat(failed.errorCode()).isEqualTo("upstream_failed");
    assertThat(failed.message()).isEqualTo("the operation ended with an error: 3: bad disk size");
    assertThat(failed.result().at("/error/details/0/@type").asText()).isEqualTo("x");

    assertThat(google.read(200, false, json("{\"done\":true,\"error\":{\"code\":1,\"message\":\"stopped\"}}")))
        .extracting(StatusReading::errorCode, StatusReading::message)
        .containsExactly("upstream_canceled", "the operation was canceled: 1: stopped");
    assertThat(google.read(200, false, json("{\"done\":true,\"error\":{\"code\":\"CANCELLED\"}}")).errorCode())
        .isEqualTo("upstream_canceled");
    assertThat(google.read(200, false, json("{\"done\":true,\"error\":\"boom\"}")).message())
        .isEqualTo("the operation ended with an error: an error that is not an object ('boom')");
  }

  @Test
  void aDoneThatIsNotABooleanIsNeverReadAsSuccess() {
    for (String done : new String[] {"\"true\"", "1", "{}", "[true]"}) {
      StatusReading reading = google.read(200, false, json("{\"name\":\"operations/1\",\"done\":" + done
          + ",\"response\":{}}"));
      assertThat(reading.state()).as(done).isEqualTo(State.UNKNOWN);
      assertThat(reading.message()).contains("is not a boolean");
    }
    assertThat(google.read(200, false, json("[]")).state()).isEqualTo(State.NOT_A_RESOURCE);
  }
}

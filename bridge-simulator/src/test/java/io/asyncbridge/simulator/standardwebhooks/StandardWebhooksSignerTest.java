package io.asyncbridge.simulator.standardwebhooks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandardWebhooksSignerTest {

    // The example from the Standard Webhooks reference libraries' tests.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTheReferenceExample() {
        assertThat(new StandardWebhooksSigner(SECRET).sign(ID, TIMESTAMP, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void headersAndVerification() {
        StandardWebhooksSigner signer = new StandardWebhooksSigner(StandardWebhooksSigner.newSecret());

        var headers = signer.headers(ID, TIMESTAMP, BODY);

        assertThat(headers).containsKeys("webhook-id", "webhook-timestamp", "webhook-signature");
        assertThat(signer.verify(ID, TIMESTAMP, BODY, "v1,bogus " + headers.get("webhook-signature"))).isTrue();
        assertThat(signer.verify(ID, TIMESTAMP + 1, BODY, headers.get("webhook-signature"))).isFalse();
        assertThat(new StandardWebhooksSigner(SECRET).verify(ID, TIMESTAMP, BODY, headers.get("webhook-signature"))).isFalse();
    }

    @Test
    void rejectsASecretThatIsNotBase64() {
        assertThatThrownBy(() -> new StandardWebhooksSigner("whsec_not base64!")).isInstanceOf(IllegalArgumentException.class);
    }
}

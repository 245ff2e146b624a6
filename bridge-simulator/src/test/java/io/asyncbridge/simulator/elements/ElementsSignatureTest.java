package io.asyncbridge.simulator.elements;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class ElementsSignatureTest {

    // HMAC-SHA256 test vector (key "key"), as published e.g. on Wikipedia's HMAC page.
    private static final byte[] FOX = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);
    private static final String FOX_HEX = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";

    @Test
    void signsWithBase64HmacSha256AndThePrefix() {
        String expected = "sha256=" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(FOX_HEX));

        assertThat(ElementsSignature.sign("key", FOX)).isEqualTo(expected);
        assertThat(ElementsSignature.digest("key", FOX)).isEqualTo(expected.substring("sha256=".length()));
    }

    @Test
    void verifiesOnlyTheExactBodyAndKey() {
        String header = ElementsSignature.sign("key", FOX);

        assertThat(ElementsSignature.verify("key", FOX, header)).isTrue();
        assertThat(ElementsSignature.verify("other", FOX, header)).isFalse();
        assertThat(ElementsSignature.verify("key", "The quick brown fox jumps over the lazy dog ".getBytes(StandardCharsets.UTF_8), header)).isFalse();
        assertThat(ElementsSignature.verify("key", FOX, null)).isFalse();
    }
}

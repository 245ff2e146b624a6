package io.asyncbridge.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class BinarySerdeTest {

    record Note(String text, byte[] body, Instant at) {
    }

    /** A serde of the kind the services write: version 1, a string, bytes and an instant; '{' starts a legacy record. */
    static final class NoteSerde extends BinarySerde<Note> {

        NoteSerde() {
            super("note", "format");
        }

        @Override
        protected byte version(Note note) {
            return 1;
        }

        @Override
        protected void write(DataOutputStream out, Note note) throws IOException {
            BinaryFields.writeString(out, note.text());
            BinaryFields.writeBytes(out, note.body());
            BinaryFields.writeInstant(out, note.at());
        }

        @Override
        protected Note read(DataInputStream in, byte version, String topic) throws IOException {
            if (version != 1) {
                throw unknownVersion(topic, version);
            }
            return new Note(BinaryFields.readString(in), BinaryFields.readBytes(in), BinaryFields.readInstant(in));
        }

        @Override
        protected Note readLegacy(String topic, byte[] data) {
            return data.length > 0 && data[0] == '{' ? new Note("legacy", null, null) : null;
        }
    }

    private final NoteSerde serde = new NoteSerde();

    @Test
    void fieldsRoundTripWithNullsAndTheVersionByteFirst() {
        Note full = new Note("héllo", new byte[] {1, 2, 3}, Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
        Note empty = new Note(null, null, null);

        byte[] bytes = serde.serialize("t", full);

        assertThat(bytes[0]).isEqualTo((byte) 1);
        Note read = serde.deserialize("t", bytes);
        assertThat(read.text()).isEqualTo("héllo");
        assertThat(read.body()).containsExactly(1, 2, 3);
        assertThat(read.at()).isEqualTo(full.at());
        assertThat(serde.deserialize("t", serde.serialize("t", empty))).isEqualTo(empty);
        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    @Test
    void damagedRecordsFailWithWhatAndWhere() {
        byte[] valid = serde.serialize("t", new Note("x", new byte[] {7}, null));
        byte[] future = valid.clone();
        future[0] = 9;
        byte[] hugeLength = valid.clone();
        hugeLength[4] = 0x7f; // the string's length, now far beyond the record

        assertThatThrownBy(() -> serde.deserialize("notes", Arrays.copyOf(valid, valid.length + 2)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("note from notes has 2 unexpected bytes after its fields");
        assertThatThrownBy(() -> serde.deserialize("notes", future)).isInstanceOf(SerializationException.class)
                .hasMessage("note from notes has unknown format 9");
        assertThatThrownBy(() -> serde.deserialize("notes", Arrays.copyOf(valid, 3)))
                .isInstanceOf(SerializationException.class).hasMessageStartingWith("cannot decode a note from notes (3 bytes)");
        assertThatThrownBy(() -> serde.deserialize("notes", hugeLength)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("field length").hasMessageContaining("exceeds the record");
        assertThatThrownBy(() -> serde.deserialize("notes", new byte[0])).isInstanceOf(SerializationException.class)
                .hasMessageContaining("notes");
    }

    @Test
    void aLegacyRecordIsReadByTheHook() {
        assertThat(serde.deserialize("t", "{\"text\":\"old\"}".getBytes(StandardCharsets.UTF_8)).text())
                .isEqualTo("legacy");
    }

    @Test
    void aCountBeyondTheRecordIsRefused() throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(new byte[] {1, 2}));
        assertThat(BinaryFields.checkCount(in, 2, "metadata")).isEqualTo(2);
        assertThatThrownBy(() -> BinaryFields.checkCount(in, 3, "metadata")).isInstanceOf(IOException.class)
                .hasMessage("metadata count 3 exceeds the record");
        assertThatThrownBy(() -> BinaryFields.checkCount(in, -1, "metadata")).isInstanceOf(IOException.class);
    }
}

package io.asyncbridge.schemas.serde;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Base of the bridge's binary serdes for internal records (stores, changelogs, internal topics): a version byte, then
 * the fields ({@link BinaryFields}), and nothing after them. The base writes and checks the version byte, refuses a
 * record with bytes left after its fields (a record this version does not understand), and turns every decoding
 * failure into a {@link SerializationException} that names the record kind, the topic and the size. Thread-safe
 * when the subclass is (they hold no state).
 */
public abstract class BinarySerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final String what;
    private final String versionWord;

    /**
     * @param what the kind of record, for messages, e.g. "poll task"
     * @param versionWord what the leading byte is called in messages, e.g. "encoding version" or "format"
     */
    protected BinarySerde(String what, String versionWord) {
        this.what = what;
        this.versionWord = versionWord;
    }

    /** The version byte {@code value} is written with. */
    protected abstract byte version(T value);

    /** The fields after the version byte. */
    protected abstract void write(DataOutputStream out, T value) throws IOException;

    /**
     * The fields after the version byte; the base checks that nothing is left after them.
     *
     * @throws SerializationException for an unknown version: {@link #unknown(String, String, int)}
     */
    protected abstract T read(DataInputStream in, byte version, String topic) throws IOException;

    /** The expected size of {@code value}'s record, to size the buffer once. */
    protected int sizeHint(T value) {
        return 128;
    }

    /** A record of an earlier format that does not start with a version byte, decoded; null when {@code data} is not one. */
    protected T readLegacy(String topic, byte[] data) {
        return null;
    }

    /** The failure for a version, kind or phase byte this code does not know, e.g. {@code unknown("format", t, 9)}. */
    protected final SerializationException unknown(String word, String topic, int value) {
        return new SerializationException(what + " from " + topic + " has unknown " + word + " " + value);
    }

    /** As {@link #unknown(String, String, int)} for the version byte. */
    protected final SerializationException unknownVersion(String topic, byte version) {
        return unknown(versionWord, topic, version);
    }

    @Override
    public final byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint(value));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(version(value));
            write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + what + " (in memory) for topic " + topic, e);
        }
        return bytes.toByteArray();
    }

    @Override
    public final T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        T legacy = readLegacy(topic, data);
        if (legacy != null) {
            return legacy;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            T value = read(in, in.readByte(), topic);
            if (in.available() > 0) {
                throw new SerializationException(what + " from " + topic + " has " + in.available()
                        + " unexpected bytes after its fields");
            }
            return value;
        } catch (SerializationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode a " + what + " from " + topic + " (" + data.length
                    + " bytes): " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // holds no resources
    }
}

package io.asyncbridge.schemas.serde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The field encodings the bridge's binary records share ({@link BinarySerde}): strings and byte arrays
 * length-prefixed with an int (-1 for null), instants as a presence flag, then epoch seconds and nanoseconds. A
 * length is checked against what is left of the record before anything is allocated, so a damaged length fails
 * with a clear message instead of an out-of-memory error.
 */
public final class BinaryFields {

    private static final int NULL_LENGTH = -1;

    private BinaryFields() {
    }

    public static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public static String readString(DataInputStream in) throws IOException {
        byte[] utf8 = readBytes(in);
        return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
    }

    public static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(NULL_LENGTH);
            return;
        }
        out.writeInt(value.length);
        out.write(value);
    }

    public static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == NULL_LENGTH) {
            return null;
        }
        if (length < 0 || length > in.available()) {
            throw new IOException("field length " + length + " exceeds the record");
        }
        return in.readNBytes(length);
    }

    public static void writeInstant(DataOutputStream out, Instant value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value.getEpochSecond());
            out.writeInt(value.getNano());
        }
    }

    public static Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    /**
     * A count of entries that follow, checked against what is left of the record (each entry takes at least one
     * byte), so a damaged count fails before a loop or a collection is sized by it.
     */
    public static int checkCount(DataInputStream in, int count, String what) throws IOException {
        if (count < 0 || count > in.available()) {
            throw new IOException(what + " count " + count + " exceeds the record");
        }
        return count;
    }
}

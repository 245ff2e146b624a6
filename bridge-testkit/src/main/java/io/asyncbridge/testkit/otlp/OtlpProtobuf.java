package io.asyncbridge.testkit.otlp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads an OTLP {@code ExportTraceServiceRequest} in its protobuf encoding: the fields a test checks (ids, parent,
 * name, kind, attributes, status, times, the resource's {@code service.name}), the rest skipped by wire type. Small
 * enough to read beside the specification (opentelemetry-proto, trace/v1/trace.proto), so tests need no protobuf
 * runtime.
 */
final class OtlpProtobuf {

  private final byte[] data;
  private int at;
  private final int end;

  private OtlpProtobuf(byte[] data, int from, int end) {
    this.data = data;
    this.at = from;
    this.end = end;
  }

  static List<ReceivedSpan> spans(byte[] request) {
    List<ReceivedSpan> spans = new ArrayList<>();
    OtlpProtobuf in = new OtlpProtobuf(request, 0, request.length);
    while (in.more()) {
      int tag = in.varint32();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        in.message().resourceSpans(spans);
      } else {
        in.skip(tag);
      }
    }
    return spans;
  }

  private void resourceSpans(List<ReceivedSpan> spans) {
    String service = "";
    List<OtlpProtobuf> scopes = new ArrayList<>();
    while (more()) {
      int tag = varint32();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        service = message().attributesOfResource().getOrDefault("service.name", "");
      } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
        scopes.add(message());
      } else {
        skip(tag);
      }
    }
    for (OtlpProtobuf scope : scopes) {
      while (scope.more()) {
        int tag = scope.varint32();
        if (tag >>> 3 == 2 && (tag & 7) == 2) {
          spans.add(scope.message().span(service));
        } else {
          scope.skip(tag);
        }
      }
    }
  }

  private Map<String, String> attributesOfResource() {
    Map<String, String> attributes = new HashMap<>();
    while (more()) {
      int tag = varint32();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        message().keyValue(attributes);
      } else {
        skip(tag);
      }
    }
    return attributes;
  }

  private ReceivedSpan span(String service) {
    HexFormat hex = HexFormat.of();
    String traceId = "";
    String spanId = "";
    String parent = "";
    String name = "";
    int kind = 0;
    int status = 0;
    long start = 0;
    long stop = 0;
    Map<String, String> attributes = new HashMap<>();
    while (more()) {
      int tag = varint32();
      switch (tag >>> 3) {
        case 1 -> traceId = hex.formatHex(bytes());
        case 2 -> spanId = hex.formatHex(bytes());
        case 4 -> parent = hex.formatHex(bytes());
        case 5 -> name = new String(bytes(), StandardCharsets.UTF_8);
        case 6 -> kind = (int) varint();
        case 7 -> start = fixed64();
        case 8 -> stop = fixed64();
        case 9 -> message().keyValue(attributes);
        case 15 -> status = message().statusCode();
        default -> skip(tag);
      }
    }
    return new ReceivedSpan(traceId, spanId, parent, name, kind, service, Map.copyOf(attributes), status, start,
        stop);
  }

  private void keyValue(Map<String, String> into) {
    String key = "";
    String value = "";
    while (more()) {
      int tag = varint32();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        key = new String(bytes(), StandardCharsets.UTF_8);
      } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
        value = message().anyValue();
      } else {
        skip(tag);
      }
    }
    into.put(key, value);
  }

  private String anyValue() {
    String value = "";
    while (more()) {
      int tag = varint32();
      switch (tag >>> 3) {
        case 1 -> value = new String(bytes(), StandardCharsets.UTF_8);
        case 2 -> value = Boolean.toString(varint() != 0);
        case 3 -> value = Long.toString(varint());
        case 4 -> value = Double.toString(Double.longBitsToDouble(fixed64()));
        default -> skip(tag);
      }
    }
    return value;
  }

  private int statusCode() {
    int code = 0;
    while (more()) {
      int tag = varint32();
      if (tag >>> 3 == 3 && (tag & 7) == 0) {
        code = (int) varint();
      } else {
        skip(tag);
      }
    }
    return code;
  }

  private boolean more() {
    return at < end;
  }

  private OtlpProtobuf message() {
    int length = varint32();
    require(length);
    OtlpProtobuf inner = new OtlpProtobuf(data, at, at + length);
    at += length;
    return inner;
  }

  private byte[] bytes() {
    int length = varint32();
    require(length);
    byte[] value = java.util.Arrays.copyOfRange(data, at, at + length);
    at += length;
    return value;
  }

  private long fixed64() {
    require(8);
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (data[at + i] & 0xff);
    }
    at += 8;
    return value;
  }

  private int varint32() {
    return (int) varint();
  }

  private long varint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      require(1);
      byte b = data[at++];
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("malformed varint at byte " + at);
  }

  private void skip(int tag) {
    switch (tag & 7) {
      case 0 -> varint();
      case 1 -> {
        require(8);
        at += 8;
      }
      case 2 -> {
        int length = varint32();
        require(length);
        at += length;
      }
      case 5 -> {
        require(4);
        at += 4;
      }
      default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7) + " at byte " + at);
    }
  }

  private void require(int bytes) {
    if (bytes < 0 || at + bytes > end) {
      throw new IllegalArgumentException("truncated protobuf at byte " + at);
    }
  }
}

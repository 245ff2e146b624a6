package io.asyncbridge.schemas.topic;

import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One topic of the bridge and what travels on it: its name and the serdes of its keys and values. Producers, consumers
 * and topologies take both from here, so a topic is never written with one serde and read with another.
 *
 * @param name the topic's configured name
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
  }

  public Serializer<K> keySerializer() {
    return keySerde.serializer();
  }

  public Deserializer<K> keyDeserializer() {
    return keySerde.deserializer();
  }

  public Serializer<V> valueSerializer() {
    return valueSerde.serializer();
  }

  public Deserializer<V> valueDeserializer() {
    return valueSerde.deserializer();
  }
}

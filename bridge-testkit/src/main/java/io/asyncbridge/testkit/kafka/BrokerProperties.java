package io.asyncbridge.testkit.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code server.properties} of a single-node KRaft broker (broker and controller in one process).
 *
 * <p>Choices, and why:
 * <ul>
 *   <li>A static quorum ({@code controller.quorum.voters}) rather than a dynamic one: the data
 *       directory then does not remember the controller port, so a reused directory works with a
 *       freshly chosen controller port on the next run.</li>
 *   <li>Replication factor 1 and min ISR 1 for the internal topics: otherwise
 *       {@code initTransactions()} and consumer groups wait for replicas that will never exist.</li>
 *   <li>Fewer partitions for {@code __consumer_offsets}, {@code __transaction_state} and the share
 *       state topic than the default 50: one broker gains nothing from them, and creating 50
 *       partitions costs seconds on the first group or transaction.</li>
 *   <li>A broker session of 4 s instead of 9 s (heartbeat every second): after a {@code kill()} the
 *       controller refuses the restarted broker until the dead one's session expires, so this
 *       bounds how long a chaos test waits; heartbeats go over loopback inside one process.</li>
 *   <li>Transactions abandoned by a dead producer are looked for every second instead of every 10 s, and the
 *       offsets and transaction logs roll at 10 MiB instead of 100 MiB (compaction only cleans rolled segments),
 *       so that after a crash a transaction left open ends soon and the coordinators reload little.</li>
 *   <li>{@code auto.create.topics.enable} keeps Kafka's default (true) so the embedded broker
 *       behaves like a Testcontainers or stock broker; the bridge and the tests create their topics
 *       explicitly anyway. Override it with an extra property if a test needs it off.</li>
 * </ul>
 */
public final class BrokerProperties {

    static final int NODE_ID = 1;

    private BrokerProperties() {
    }

    /**
     * @param port       client (PLAINTEXT) port, already resolved (not 0)
     * @param controllerPort controller port, already resolved (not 0)
     * @param logDir     where the broker keeps its data
     * @param extra      overrides and additions, applied last
     */
    public static Map<String, String> singleNode(int port, int controllerPort, Path logDir, Map<String, String> extra) {
        if (port <= 0 || controllerPort <= 0) {
            throw new IllegalArgumentException("ports must be resolved before generating properties: port="
                    + port + ", controllerPort=" + controllerPort);
        }
        if (port == controllerPort) {
            throw new IllegalArgumentException("client and controller ports must differ, both are " + port);
        }
        Map<String, String> p = new TreeMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());

        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "10");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "10");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("broker.heartbeat.interval.ms", "1000");
        p.put("broker.session.timeout.ms", "4000");
        // Recovery after a crash: look for transactions past their timeout every second rather than every 10 s, so
        // a transaction left open by a dead producer ends within its timeout plus a second; and keep the offsets
        // and transaction logs in small segments, so compaction keeps them short and the coordinators that reload
        // them after a restart are back sooner.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        p.put("offsets.topic.segment.bytes", Integer.toString(10 * 1024 * 1024));
        p.put("transaction.state.log.segment.bytes", Integer.toString(10 * 1024 * 1024));

        p.putAll(extra);
        return p;
    }

    /** Renders properties in {@code server.properties} syntax (keys sorted, special characters escaped). */
    public static String render(Map<String, String> properties) {
        StringBuilder out = new StringBuilder("# generated by io.asyncbridge.testkit.kafka.EmbeddedKafkaBroker\n");
        new TreeMap<>(properties).forEach((k, v) ->
                out.append(escape(k, true)).append('=').append(escape(v, false)).append('\n'));
        return out.toString();
    }

    private static String escape(String s, boolean key) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (key && (c == '=' || c == ':' || c == ' ' || c == '#' || c == '!')) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

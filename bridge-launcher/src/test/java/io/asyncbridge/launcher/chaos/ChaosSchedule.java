package io.asyncbridge.launcher.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * When to kill what, drawn from a seeded {@link Random}: service kills spread over the three services and over
 * the load window at random moments, and broker outages in the middle part of it (see {@link ChaosMonkey} for
 * which are crashes).
 */
final class ChaosSchedule {

    static final String BROKER = "broker";

    /**
     * @param at       offset from the start of the load
     * @param target   a service name or {@link #BROKER}
     * @param downtime how long it stays down before it is started again
     */
    record Event(Duration at, String target, Duration downtime) {
    }

    private ChaosSchedule() {
    }

    static List<Event> plan(Random random, int kills, int brokerRestarts, Duration window) {
        List<String> targets = new ArrayList<>();
        int offset = random.nextInt(BridgeProcesses.SERVICES.size());
        for (int i = 0; i < kills; i++) {
            targets.add(BridgeProcesses.SERVICES.get((offset + i) % BridgeProcesses.SERVICES.size()));
        }
        Collections.shuffle(targets, random);
        long windowMillis = window.toMillis();
        List<Event> events = new ArrayList<>();
        for (String target : targets) {
            long at = windowMillis / 10 + (long) (random.nextDouble() * windowMillis * 8 / 10);
            events.add(new Event(Duration.ofMillis(at), target, Duration.ofMillis(random.nextInt(2_000))));
        }
        for (int i = 0; i < brokerRestarts; i++) {
            // one outage in the middle part; more of them spread over most of the window, so they do not pile up
            long at = brokerRestarts == 1 ? windowMillis * 3 / 10 + (long) (random.nextDouble() * windowMillis * 4 / 10)
                    : windowMillis / 5 + (long) (random.nextDouble() * windowMillis * 6 / 10);
            events.add(new Event(Duration.ofMillis(at), BROKER, Duration.ofMillis(1_000 + random.nextInt(2_000))));
        }
        events.sort(Comparator.comparing(Event::at));
        return List.copyOf(events);
    }
}

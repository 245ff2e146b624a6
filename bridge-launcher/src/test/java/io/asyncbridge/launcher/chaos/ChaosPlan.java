package io.asyncbridge.launcher.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The requests of a chaos run in the order they are sent: valid tasks, a few invalid requests at random positions,
 * and a few valid requests sent a second time later on (which must change nothing).
 *
 * @param tasks every distinct request, each once
 * @param sends the send order, duplicates included
 */
record ChaosPlan(List<PlannedTask> tasks, List<PlannedTask> sends) {

    static ChaosPlan create(Random random, String prefix, int count) {
        TaskMix mix = new TaskMix(random, prefix);
        int invalid = Math.max(6, count / 250);
        List<PlannedTask> tasks = new ArrayList<>();
        for (int i = 0; i < count - invalid; i++) {
            tasks.add(mix.next());
        }
        for (int i = 0; i < invalid; i++) {
            tasks.add(random.nextInt(tasks.size() + 1), mix.invalid(i));
        }
        List<PlannedTask> sends = new ArrayList<>(tasks);
        for (int i = 0; i < Math.max(5, count / 100); i++) {
            int original = random.nextInt(tasks.size());
            PlannedTask again = tasks.get(original);
            if (again.valid()) {
                sends.add(original + 1 + random.nextInt(sends.size() - original), again);
            }
        }
        return new ChaosPlan(List.copyOf(tasks), List.copyOf(sends));
    }

    long count(java.util.function.Predicate<PlannedTask> which) {
        return tasks.stream().filter(which).count();
    }

    int duplicates() {
        return sends.size() - tasks.size();
    }
}

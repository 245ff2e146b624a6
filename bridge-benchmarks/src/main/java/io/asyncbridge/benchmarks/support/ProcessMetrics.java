package io.asyncbridge.benchmarks.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** CPU time, heap, resident memory, directory sizes and the load average, read the cheap way (MXBeans and /proc). */
public final class ProcessMetrics {

  private static final long CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

  private ProcessMetrics() {
  }

  /** CPU time of this JVM in nanoseconds (all threads, user + system). */
  public static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** CPU time of another process (user + system) from /proc/pid/stat, in nanoseconds; -1 when unreadable. */
  public static long cpuNanosOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name is in parentheses and may contain spaces: fields are counted after the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
      return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The heap that full collections leave (several, so that finalizable garbage and soft references settle): what
   * each heap pool held at the end of its last collection ({@link MemoryPoolMXBean#getCollectionUsage}), read right
   * after {@link System#gc()}. Not the heap in use a moment later, which also counts what a running service
   * allocated meanwhile (at 20,000 polls/s about 10 MiB in 150 ms).
   */
  public static long heapAfterGc() {
    List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null).toList();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      long afterGc = 0;
      for (MemoryPoolMXBean pool : heapPools) {
        afterGc += pool.getCollectionUsage().getUsed();
      }
      least = Math.min(least, afterGc);
      sleep(150);
    }
    return least;
  }

  /** Resident set size of this process in bytes (VmRSS), -1 when unreadable. */
  public static long ownRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  public static int liveThreads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /** Total size of the regular files under a directory (0 when it does not exist). */
  public static long directoryBytes(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> {
        try {
          return Files.size(file);
        } catch (IOException e) {
          return 0; // a RocksDB file removed by compaction while we walked
        }
      }).sum();
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }

  /** The 1-minute load average, NaN when unreadable. */
  public static double loadAverage() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/loadavg"));
      return Double.parseDouble(lines.get(0).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}

package io.asyncbridge.core.schedule;

import java.util.Arrays;

/**
 * An in-memory schedule of tasks by next due time, owned by one stream task (one partition) and used only on its
 * stream thread. It replaces a changelogged due index: a processor rebuilds it from its task store when the partition
 * is assigned, so moving a task in time costs no Kafka write.
 *
 * <p>Tasks live in <em>lanes</em> (for example one per upstream provider), each a binary min-heap of due times, so a
 * caller can leave a lane that cannot take more work (a provider at its concurrency limit) without popping and
 * re-inserting its backlog. A binary heap rather than a hashed timing wheel: due times range from milliseconds to
 * days, a heap orders them exactly with no rounds or bucket sizing, and at the rates one stream thread reaches
 * (tens of thousands of moves per second) its O(log n) sift is a few microseconds.
 *
 * <p>Memory is what a node holding a million tasks can afford: parallel primitive arrays (no object per task),
 * task ids of ISO-8859-1 characters kept as their bytes, and an open-addressing index from id to slot. A task with a
 * 20-character id costs about 85 bytes with the arrays' growth room ({@link #approximateBytes()}).
 *
 * <p>Each task also carries an {@code int} tag the owner may use (the poller keeps its attempt number there).
 */
public final class TaskSchedule {

  /** What {@link #dueAt} answers for a task that is not scheduled. */
  public static final long NOT_SCHEDULED = Long.MIN_VALUE;

  private static final int MIN_CAPACITY = 16;

  // Per slot. A free slot has ids[slot] == null and heapPos[slot] = -(next free slot + 2).
  private Object[] ids;
  private int[] hashes;
  private int[] heapPos;
  private short[] laneOf;
  private int[] tags;
  private int slotsUsed;
  private int freeHead = -1;
  private int size;

  // Index from id to slot + 1 (0 = empty), linear probing, at most half full.
  private int[] index;
  private int indexMask;

  private final Lane[] lanes;

  /** One lane's heap: due times and the slots they belong to, in heap order. */
  private static final class Lane {
    long[] due = new long[MIN_CAPACITY];
    int[] slot = new int[MIN_CAPACITY];
    int size;
  }

  public TaskSchedule(int lanes) {
    this(lanes, MIN_CAPACITY);
  }

  /** @param expectedTasks how many tasks to size for; the schedule grows past it when needed */
  public TaskSchedule(int lanes, int expectedTasks) {
    if (lanes < 1 || lanes > Short.MAX_VALUE) {
      throw new IllegalArgumentException("lanes must be 1.." + Short.MAX_VALUE + ", not " + lanes);
    }
    this.lanes = new Lane[lanes];
    for (int i = 0; i < lanes; i++) {
      this.lanes[i] = new Lane();
    }
    int capacity = Math.max(MIN_CAPACITY, expectedTasks);
    ids = new Object[capacity];
    hashes = new int[capacity];
    heapPos = new int[capacity];
    laneOf = new short[capacity];
    tags = new int[capacity];
    int indexSize = Integer.highestOneBit(Math.max(MIN_CAPACITY, capacity) * 2 - 1) << 1;
    index = new int[indexSize];
    indexMask = indexSize - 1;
  }

  public int size() {
    return size;
  }

  public int lanes() {
    return lanes.length;
  }

  /** Tasks scheduled in one lane. */
  public int size(int lane) {
    return lane(lane).size;
  }

  public boolean contains(String id) {
    return find(id) >= 0;
  }

  /** When the task is due, or {@link #NOT_SCHEDULED}. */
  public long dueAt(String id) {
    int slot = slotOf(id);
    return slot < 0 ? NOT_SCHEDULED : lanes[laneOf[slot]].due[heapPos[slot]];
  }

  /** The task's lane, or -1 when it is not scheduled. */
  public int laneOf(String id) {
    int slot = slotOf(id);
    return slot < 0 ? -1 : laneOf[slot];
  }

  /** The task's tag (0 for a task scheduled without one), or 0 when it is not scheduled. */
  public int tag(String id) {
    int slot = slotOf(id);
    return slot < 0 ? 0 : tags[slot];
  }

  /** Sets the tag of a scheduled task; false (and nothing changes) when it is not scheduled. */
  public boolean setTag(String id, int tag) {
    int slot = slotOf(id);
    if (slot < 0) {
      return false;
    }
    tags[slot] = tag;
    return true;
  }

  /**
   * Schedules a task at {@code dueAtMillis} in {@code lane}: adds it with tag 0 when it is new, otherwise moves it
   * (to another lane too) and keeps its tag.
   */
  public void schedule(String id, int lane, long dueAtMillis) {
    Lane target = lane(lane);
    int found = find(id);
    if (found >= 0) {
      int slot = index[found] - 1;
      if (laneOf[slot] == lane) {
        Lane current = lanes[lane];
        int pos = heapPos[slot];
        long before = current.due[pos];
        current.due[pos] = dueAtMillis;
        if (dueAtMillis < before) {
          siftUp(current, pos);
        } else if (dueAtMillis > before) {
          siftDown(current, pos);
        }
        return;
      }
      removeFromHeap(lanes[laneOf[slot]], heapPos[slot]);
      laneOf[slot] = (short) lane;
      push(target, slot, dueAtMillis);
      return;
    }
    int slot = allocateSlot();
    ids[slot] = compact(id);
    hashes[slot] = id.hashCode();
    laneOf[slot] = (short) lane;
    tags[slot] = 0;
    index[~found] = slot + 1;
    size++;
    push(target, slot, dueAtMillis);
    if (size * 2 > index.length) {
      rehash(index.length * 2);
    }
  }

  /** Removes a task; false when it was not scheduled. */
  public boolean remove(String id) {
    int found = find(id);
    if (found < 0) {
      return false;
    }
    int slot = index[found] - 1;
    removeFromHeap(lanes[laneOf[slot]], heapPos[slot]);
    deleteIndexEntry(found);
    ids[slot] = null;
    heapPos[slot] = -(freeHead + 2);
    freeHead = slot;
    size--;
    return true;
  }

  /** The earliest due time in a lane, or {@link Long#MAX_VALUE} when the lane is empty. */
  public long nextDueAt(int lane) {
    Lane l = lane(lane);
    return l.size == 0 ? Long.MAX_VALUE : l.due[0];
  }

  /** The earliest due time in any lane, or {@link Long#MAX_VALUE} when the schedule is empty. */
  public long nextDueAt() {
    long earliest = Long.MAX_VALUE;
    for (Lane lane : lanes) {
      if (lane.size > 0 && lane.due[0] < earliest) {
        earliest = lane.due[0];
      }
    }
    return earliest;
  }

  /** The task due first in a lane (it stays scheduled), or null when the lane is empty. */
  public String peek(int lane) {
    Lane l = lane(lane);
    return l.size == 0 ? null : idOf(l.slot[0]);
  }

  /** Removes every task. */
  public void clear() {
    Arrays.fill(ids, 0, slotsUsed, null);
    Arrays.fill(index, 0);
    for (Lane lane : lanes) {
      lane.size = 0;
    }
    slotsUsed = 0;
    freeHead = -1;
    size = 0;
  }

  /**
   * An estimate of the heap this schedule holds: its arrays as allocated plus each id's bytes (64-bit JVM with
   * compressed references, objects aligned to 8 bytes).
   */
  public long approximateBytes() {
    long bytes = arrayBytes(ids.length, 4) + arrayBytes(hashes.length, 4) + arrayBytes(heapPos.length, 4)
        + arrayBytes(laneOf.length, 2) + arrayBytes(tags.length, 4) + arrayBytes(index.length, 4);
    for (Lane lane : lanes) {
      bytes += arrayBytes(lane.due.length, 8) + arrayBytes(lane.slot.length, 4);
    }
    for (int slot = 0; slot < slotsUsed; slot++) {
      Object id = ids[slot];
      if (id instanceof byte[] latin1) {
        bytes += arrayBytes(latin1.length, 1);
      } else if (id instanceof String text) {
        bytes += 24 + arrayBytes(text.length(), 2);
      }
    }
    return bytes;
  }

  private static long arrayBytes(int length, int elementBytes) {
    return (16 + (long) length * elementBytes + 7) & ~7L;
  }

  private Lane lane(int lane) {
    if (lane < 0 || lane >= lanes.length) {
      throw new IllegalArgumentException("lane " + lane + " outside 0.." + (lanes.length - 1));
    }
    return lanes[lane];
  }

  // ---- slots and ids

  private int allocateSlot() {
    if (freeHead >= 0) {
      int slot = freeHead;
      freeHead = -heapPos[slot] - 2;
      return slot;
    }
    if (slotsUsed == ids.length) {
      int capacity = ids.length + (ids.length >> 1);
      ids = Arrays.copyOf(ids, capacity);
      hashes = Arrays.copyOf(hashes, capacity);
      heapPos = Arrays.copyOf(heapPos, capacity);
      laneOf = Arrays.copyOf(laneOf, capacity);
      tags = Arrays.copyOf(tags, capacity);
    }
    return slotsUsed++;
  }

  /** Ids of ISO-8859-1 characters (every taskId the contract allows) are kept as their bytes. */
  private static Object compact(String id) {
    int length = id.length();
    byte[] latin1 = new byte[length];
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      if (c > 0xFF) {
        return id;
      }
      latin1[i] = (byte) c;
    }
    return latin1;
  }

  private String idOf(int slot) {
    Object id = ids[slot];
    return id instanceof byte[] latin1 ? new String(latin1, java.nio.charset.StandardCharsets.ISO_8859_1) : (String) id;
  }

  private static boolean sameId(Object stored, String id) {
    if (stored instanceof byte[] latin1) {
      if (latin1.length != id.length()) {
        return false;
      }
      for (int i = 0; i < latin1.length; i++) {
        if ((latin1[i] & 0xFF) != id.charAt(i)) {
          return false;
        }
      }
      return true;
    }
    return id.equals(stored);
  }

  // ---- index from id to slot

  private static int spread(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** The index position holding the id, or {@code ~position} where it would be inserted. */
  private int find(String id) {
    int hash = id.hashCode();
    int pos = spread(hash) & indexMask;
    while (true) {
      int entry = index[pos];
      if (entry == 0) {
        return ~pos;
      }
      int slot = entry - 1;
      if (hashes[slot] == hash && sameId(ids[slot], id)) {
        return pos;
      }
      pos = (pos + 1) & indexMask;
    }
  }

  private int slotOf(String id) {
    int found = find(id);
    return found < 0 ? -1 : index[found] - 1;
  }

  /** Backward-shift deletion: no tombstones, so lookups never slow down after many removals. */
  private void deleteIndexEntry(int pos) {
    int hole = pos;
    int next = pos;
    while (true) {
      next = (next + 1) & indexMask;
      int entry = index[next];
      if (entry == 0) {
        index[hole] = 0;
        return;
      }
      int home = spread(hashes[entry - 1]) & indexMask;
      // The entry at `next` may fill the hole unless its home lies cyclically in (hole, next].
      boolean homeBetween = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (!homeBetween) {
        index[hole] = entry;
        hole = next;
      }
    }
  }

  private void rehash(int newSize) {
    index = new int[newSize];
    indexMask = newSize - 1;
    for (int slot = 0; slot < slotsUsed; slot++) {
      if (ids[slot] != null) {
        int pos = spread(hashes[slot]) & indexMask;
        while (index[pos] != 0) {
          pos = (pos + 1) & indexMask;
        }
        index[pos] = slot + 1;
      }
    }
  }

  // ---- heaps

  private void push(Lane lane, int slot, long due) {
    if (lane.size == lane.due.length) {
      int capacity = lane.due.length + (lane.due.length >> 1);
      lane.due = Arrays.copyOf(lane.due, capacity);
      lane.slot = Arrays.copyOf(lane.slot, capacity);
    }
    int pos = lane.size++;
    lane.due[pos] = due;
    lane.slot[pos] = slot;
    heapPos[slot] = pos;
    siftUp(lane, pos);
  }

  private void removeFromHeap(Lane lane, int pos) {
    int last = --lane.size;
    if (pos == last) {
      return;
    }
    long movedDue = lane.due[last];
    int movedSlot = lane.slot[last];
    lane.due[pos] = movedDue;
    lane.slot[pos] = movedSlot;
    heapPos[movedSlot] = pos;
    if (pos > 0 && movedDue < lane.due[(pos - 1) >>> 1]) {
      siftUp(lane, pos);
    } else {
      siftDown(lane, pos);
    }
  }

  private void siftUp(Lane lane, int pos) {
    long due = lane.due[pos];
    int slot = lane.slot[pos];
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      if (lane.due[parent] <= due) {
        break;
      }
      lane.due[pos] = lane.due[parent];
      lane.slot[pos] = lane.slot[parent];
      heapPos[lane.slot[pos]] = pos;
      pos = parent;
    }
    lane.due[pos] = due;
    lane.slot[pos] = slot;
    heapPos[slot] = pos;
  }

  private void siftDown(Lane lane, int pos) {
    long due = lane.due[pos];
    int slot = lane.slot[pos];
    int half = lane.size >>> 1;
    while (pos < half) {
      int child = 2 * pos + 1;
      int right = child + 1;
      if (right < lane.size && lane.due[right] < lane.due[child]) {
        child = right;
      }
      if (due <= lane.due[child]) {
        break;
      }
      lane.due[pos] = lane.due[child];
      lane.slot[pos] = lane.slot[child];
      heapPos[lane.slot[pos]] = pos;
      pos = child;
    }
    lane.due[pos] = due;
    lane.slot[pos] = slot;
    heapPos[slot] = pos;
  }
}

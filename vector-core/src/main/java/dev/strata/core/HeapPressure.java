package dev.strata.core;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * How full this JVM's heap was after its last garbage collection, as a fraction of the most it may
 * grow to: what the collector could not free, so an estimate of the live data. Admission refuses
 * new calls above {@link AdmissionLimits#maxHeapFraction()}, so an overloaded service answers
 * "overloaded" instead of dying with an {@link OutOfMemoryError}. Updated by the collectors'
 * notifications; reading it costs one volatile read.
 */
final class HeapPressure {
  private static final HeapPressure JVM = new HeapPressure();

  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final long maxHeap = Runtime.getRuntime().maxMemory();
  private volatile double usedAfterLastGc;

  private HeapPressure() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((notification, handback) -> collected(notification), null, null);
      }
    }
  }

  /** This JVM's. */
  static HeapPressure jvm() {
    return JVM;
  }

  /** The heap used after the last collection over the most it may grow to; 0 before the first. */
  double usedAfterLastGc() {
    return usedAfterLastGc;
  }

  private void collected(Notification notification) {
    if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)
        || maxHeap == Long.MAX_VALUE) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    usedAfterLastGc = (double) used / maxHeap;
  }
}

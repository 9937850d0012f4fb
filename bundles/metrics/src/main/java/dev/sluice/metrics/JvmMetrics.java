package dev.sluice.metrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;

/** JVM metrics from the platform MXBeans; memory and thread names follow the Prometheus Java client. */
final class JvmMetrics {

    private JvmMetrics() {
    }

    static void write(PrometheusText text) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        text.family("jvm_memory_bytes_used", "gauge", "Used bytes of a JVM memory area.")
                .sample("jvm_memory_bytes_used", heap.getUsed(), "area", "heap")
                .sample("jvm_memory_bytes_used", nonHeap.getUsed(), "area", "nonheap");
        text.family("jvm_memory_bytes_committed", "gauge", "Committed bytes of a JVM memory area.")
                .sample("jvm_memory_bytes_committed", heap.getCommitted(), "area", "heap")
                .sample("jvm_memory_bytes_committed", nonHeap.getCommitted(), "area", "nonheap");
        text.family("jvm_memory_bytes_max", "gauge", "Maximum bytes of a JVM memory area (-1 when undefined).")
                .sample("jvm_memory_bytes_max", heap.getMax(), "area", "heap")
                .sample("jvm_memory_bytes_max", nonHeap.getMax(), "area", "nonheap");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        text.family("jvm_threads_current", "gauge", "Current thread count.").sample("jvm_threads_current", threads.getThreadCount());
        text.family("jvm_threads_daemon", "gauge", "Daemon thread count.").sample("jvm_threads_daemon", threads.getDaemonThreadCount());
        text.family("jvm_threads_peak", "gauge", "Peak thread count.").sample("jvm_threads_peak", threads.getPeakThreadCount());
        text.family("jvm_gc_collections_total", "counter", "Collections by garbage collector.");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            text.sample("jvm_gc_collections_total", Math.max(0, gc.getCollectionCount()), "gc", gc.getName());
        }
        text.family("jvm_gc_collection_seconds_total", "counter", "Time spent in garbage collection, by collector.");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            text.sample("jvm_gc_collection_seconds_total", Math.max(0, gc.getCollectionTime()) / 1000.0, "gc", gc.getName());
        }
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        text.family("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.")
                .sample("process_start_time_seconds", runtime.getStartTime() / 1000.0);
        text.family("process_uptime_seconds", "gauge", "Uptime of the JVM in seconds.")
                .sample("process_uptime_seconds", runtime.getUptime() / 1000.0);
    }
}

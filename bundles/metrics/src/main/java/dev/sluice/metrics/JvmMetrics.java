package dev.sluice.metrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JVM and process metrics from the platform MXBeans; names follow the Prometheus Java client. CPU time and file
 * descriptors are read as MBean attributes rather than through {@code com.sun.management}, so the bundle does
 * not import a JDK-specific package: where the JVM does not have them, they are simply left out.
 */
final class JvmMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(JvmMetrics.class);

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
        process(text);
    }

    private static void process(PrometheusText text) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName os = ManagementFactory.getOperatingSystemMXBean().getObjectName();
        long cpuNanos = attribute(server, os, "ProcessCpuTime");
        if (cpuNanos >= 0) {
            text.family("process_cpu_seconds_total", "counter", "CPU time used by the process (user and system).")
                    .sample("process_cpu_seconds_total", cpuNanos / 1e9);
        }
        long open = attribute(server, os, "OpenFileDescriptorCount");
        if (open >= 0) {
            text.family("process_open_fds", "gauge", "Open file descriptors.").sample("process_open_fds", open);
        }
        long max = attribute(server, os, "MaxFileDescriptorCount");
        if (max >= 0) {
            text.family("process_max_fds", "gauge", "Maximum open file descriptors.").sample("process_max_fds", max);
        }
    }

    /** The attribute's value, or -1 when this JVM or platform does not have it. */
    private static long attribute(MBeanServer server, ObjectName bean, String name) {
        try {
            return server.getAttribute(bean, name) instanceof Number n ? n.longValue() : -1;
        } catch (JMException | RuntimeException e) {
            LOG.debug("no {} on this JVM", name, e);
            return -1;
        }
    }
}

package dev.sluice.delivery.smtp;

import java.util.List;

/** Live threads, for the tests that check nothing is left behind. */
final class Threads {
    private Threads() {
    }

    static List<String> named(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).toList();
    }
}

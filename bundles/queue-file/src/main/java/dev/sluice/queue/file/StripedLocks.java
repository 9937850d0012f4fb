package dev.sluice.queue.file;

import dev.sluice.api.queue.QueueException;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/** Serialises work on one message without a lock object per message (which would cost heap per entry). */
final class StripedLocks {

    interface Body<T> {
        T run() throws IOException, QueueException;
    }

    private final ReentrantLock[] locks;

    StripedLocks(int stripesPowerOfTwo) {
        locks = new ReentrantLock[stripesPowerOfTwo];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    <T> T with(long key, Body<T> body) throws IOException, QueueException {
        ReentrantLock lock = locks[(int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & (locks.length - 1)];
        lock.lock();
        try {
            return body.run();
        } finally {
            lock.unlock();
        }
    }
}

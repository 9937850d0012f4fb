package dev.sluice.smtp.server;

import java.io.IOException;
import java.time.Clock;

/** A listener on 127.0.0.1 with an ephemeral port and a fake queue, closed after each test. */
final class TestServer implements AutoCloseable {

    final FakeQueue queue = new FakeQueue();
    final SmtpListener listener;

    TestServer(TestConfig config) {
        listener = new SmtpListener(config.build(), null, Clock.systemUTC());
        listener.setMailQueue(queue);
    }

    static TestServer start() {
        return new TestServer(TestConfig.loopback());
    }

    int port() {
        return listener.address().getPort();
    }

    SmtpTestClient connect() throws IOException {
        return new SmtpTestClient(port());
    }

    /** Connects and sends EHLO, checking the greeting and the 250. */
    SmtpTestClient greeted() throws IOException {
        SmtpTestClient c = connect();
        c.expect(220);
        c.send("EHLO client.test");
        c.expect(250);
        return c;
    }

    /** Polls until the condition holds (things a session does after its socket closed), failing after 10 s. */
    static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // poll, not a CPU spin
        }
    }

    private boolean closed;

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            listener.deactivate();
        }
    }
}

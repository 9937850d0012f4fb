package dev.sluice.smtp.server;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each session's events one at a time and in order. An event the handler may take on the I/O thread (a
 * command that cannot block, when nothing of the session is queued) runs there at once; everything else goes to
 * the session's lane on the worker pool. Most of a session's commands thus cost no thread hand-off at all, which
 * an executor filter charges twice per command (to the worker, and back to the I/O thread for the reply).
 */
final class SessionSerializer extends IoFilterAdapter {

    /** Which events may run on the I/O thread; asked only when nothing of the session is queued or running. */
    interface Policy {
        boolean inline(IoSession session, Object message);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SessionSerializer.class);
    private static final AttributeKey LANE = new AttributeKey(SessionSerializer.class, "lane");
    /** Tasks of one session taken in a row before the worker lets other sessions' lanes have a turn. */
    private static final int BATCH = 16;

    private final Executor workers;
    private final Policy policy;

    SessionSerializer(Executor workers, Policy policy) {
        this.workers = workers;
        this.policy = policy;
    }

    /** True while the session's event runs on the I/O thread (so it must not block). */
    static boolean onIoThread(IoSession session) {
        Lane lane = (Lane) session.getAttribute(LANE);
        return lane != null && lane.inlineThread == Thread.currentThread();
    }

    /**
     * Runs the task on the session's worker lane, after what is queued there, as a message for the handler
     * (which runs {@link MinaConnection.Continuation}s): so it has the session's logging context, and a throw
     * becomes the session's exceptionCaught like any event's.
     */
    static void submit(IoSession session, Runnable task) {
        Lane lane = (Lane) session.getAttribute(LANE);
        if (lane != null && lane.next != null) {
            lane.submit(() -> lane.next.messageReceived(session, new MinaConnection.Continuation(task)));
        }
    }

    @Override
    public void sessionCreated(NextFilter next, IoSession session) {
        lane(session).next = next;
        next.sessionCreated(session);
    }

    @Override
    public void sessionOpened(NextFilter next, IoSession session) {
        dispatch(session, null, () -> next.sessionOpened(session));
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) {
        dispatch(session, message, () -> next.messageReceived(session, message));
    }

    @Override
    public void sessionIdle(NextFilter next, IoSession session, IdleStatus status) {
        lane(session).submit(() -> next.sessionIdle(session, status));
    }

    @Override
    public void sessionClosed(NextFilter next, IoSession session) {
        dispatch(session, CLOSED, () -> next.sessionClosed(session));
    }

    @Override
    public void exceptionCaught(NextFilter next, IoSession session, Throwable cause) {
        lane(session).submit(() -> next.exceptionCaught(session, cause));
    }

    /** The message {@link Policy#inline} sees for a session that closed. */
    static final Object CLOSED = new Object() {
        @Override
        public String toString() {
            return "session closed";
        }
    };

    private void dispatch(IoSession session, Object message, Runnable event) {
        Lane lane = lane(session);
        if (lane.claimForInline() && ranInline(lane, session, message, event)) {
            return;
        }
        lane.submit(event);
    }

    /** With the lane claimed: runs the event here if the policy allows; false (lane released) otherwise. */
    private boolean ranInline(Lane lane, IoSession session, Object message, Runnable event) {
        boolean allowed;
        try {
            allowed = policy.inline(session, message);
        } catch (RuntimeException e) {
            allowed = false;
        }
        if (!allowed) {
            lane.releaseInline();
            return false;
        }
        lane.inlineThread = Thread.currentThread();
        try {
            event.run();
        } finally {
            lane.inlineThread = null;
            lane.releaseInline();
        }
        return true;
    }

    private Lane lane(IoSession session) {
        Lane lane = (Lane) session.getAttribute(LANE);
        if (lane == null) {
            // events of a session created before this filter was in the chain (not the case in a listener)
            lane = new Lane();
            Lane raced = (Lane) session.setAttributeIfAbsent(LANE, lane);
            lane = raced != null ? raced : lane;
        }
        return lane;
    }

    private void schedule(Lane lane) {
        try {
            workers.execute(lane);
        } catch (RejectedExecutionException e) {
            // the listener has stopped: the session's close already aborted what its tasks would finish
            LOG.debug("Listener stopping; {} task(s) of a session dropped", lane.tasks.size());
        }
    }

    /** One session's queue: at most one of its tasks runs at a time, here or on the I/O thread. */
    private final class Lane implements Runnable {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private boolean running;
        volatile Thread inlineThread;
        volatile NextFilter next;

        synchronized boolean claimForInline() {
            if (running || !tasks.isEmpty()) {
                return false;
            }
            running = true;
            return true;
        }

        void releaseInline() {
            synchronized (this) {
                if (tasks.isEmpty()) {
                    running = false;
                    return;
                }
            }
            schedule(this); // what was queued meanwhile (a continuation): still ours, now on a worker
        }

        void submit(Runnable task) {
            synchronized (this) {
                tasks.add(task);
                if (running) {
                    return;
                }
                running = true;
            }
            schedule(this);
        }

        @Override
        public void run() {
            for (int i = 0; i < BATCH; i++) {
                Runnable task;
                synchronized (this) {
                    task = tasks.poll();
                    if (task == null) {
                        running = false;
                        return;
                    }
                }
                task.run(); // MINA's chain turns a handler's exception into exceptionCaught
            }
            schedule(this);
        }
    }
}

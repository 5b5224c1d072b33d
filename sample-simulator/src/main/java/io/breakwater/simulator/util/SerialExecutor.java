package io.breakwater.simulator.util;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one owner's tasks (a charge point's steps, its Redis writes) one after another, in submission order, on a
 * shared pool: the owner's state needs no locks and its writes cannot overtake each other, while a thousand owners
 * still share a few threads. A task that throws is logged and the next one runs.
 */
public final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    /** Tasks run per turn on the pool before the rest is handed back, so one busy owner cannot hog a thread. */
    private static final int BATCH = 64;

    private final String owner;
    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean scheduled;

    public SerialExecutor(String owner, Executor pool) {
        this.owner = owner;
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.addLast(task);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (tasks) {
                tasks.clear(); // the pool is shutting down, and the charge point with it
                scheduled = false;
            }
        }
    }

    private void drain() {
        for (int n = 0; n < BATCH; n++) {
            Runnable task;
            synchronized (tasks) {
                task = tasks.pollFirst();
                if (task == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("{}: a step failed: {}", owner, e.toString(), e);
            } catch (Error e) {
                schedule(); // the remaining tasks still run
                throw e;
            }
        }
        schedule();
    }
}

package org.statespace.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import org.statespace.StatespaceException;

/**
 * Runs a task for every index 0..count-1 on a few threads, each thread with its own worker state
 * (workspaces). Tasks write their results into slots by index, and callers combine the slots in index
 * order, which is what keeps results identical whatever the thread count. Public for {@link #map} alone
 * (the report draws its charts with it); the engine's own loops use {@link #forEach}.
 */
public final class Parallel {
    private Parallel() {
    }

    /**
     * {@code f} over {@code items} on up to {@code threads} threads (at least one); the results in the items'
     * order. Every item is run; then the failure of the first item that failed, in the items' order, is rethrown
     * as it was.
     */
    public static <T, R> List<R> map(List<T> items, int threads, Function<T, R> f) {
        int count = items.size();
        Object[] results = new Object[count];
        RuntimeException[] failures = new RuntimeException[count];
        Error[] errors = new Error[count];
        forEach(count, Math.max(1, threads), () -> null, (ignored, i) -> {
            try {
                results[i] = f.apply(items.get(i));
            } catch (RuntimeException e) {
                failures[i] = e;
            } catch (Error e) {
                errors[i] = e;
            }
        });
        List<R> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (errors[i] != null) {
                throw errors[i];
            }
            if (failures[i] != null) {
                throw failures[i];
            }
            @SuppressWarnings("unchecked")
            R r = (R) results[i];
            out.add(r);
        }
        return out;
    }

    /** A task for one index, given the calling thread's worker state. */
    @FunctionalInterface
    interface Task<W> {
        void run(W worker, int index);
    }

    static <W> void forEach(int count, int threads, Supplier<W> workers, Task<W> task) {
        int n = Math.min(threads, count);
        if (n <= 1) {
            W worker = workers.get();
            for (int i = 0; i < count; i++) {
                task.run(worker, i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "statespace-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                futures.add(pool.submit(() -> {
                    W worker = workers.get();
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        task.run(worker, i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatespaceException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new StatespaceException("a worker failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }
}

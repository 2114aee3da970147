package org.statespace.plots;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Work on a few threads with results in input order; the first failure is rethrown as it was. */
final class Parallel {
    private Parallel() {
    }

    /** {@code f} over {@code items} on up to {@code threads} threads; results in the items' order. */
    static <T, R> List<R> map(List<T> items, int threads, Function<T, R> f) {
        int n = Math.min(Math.max(1, threads), items.size());
        if (n <= 1) {
            List<R> out = new ArrayList<>(items.size());
            items.forEach(i -> out.add(f.apply(i)));
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "statespace-charts");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> f.apply(item)));
            }
            List<R> out = new ArrayList<>(items.size());
            for (Future<R> fu : futures) {
                out.add(fu.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while drawing charts", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }
}

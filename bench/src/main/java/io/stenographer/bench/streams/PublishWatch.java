package io.stenographer.bench.streams;

import io.stenographer.bench.log.Service;
import java.util.ArrayList;
import java.util.List;

/**
 * Polls one tenant's latest checkpoint ({@code GET /api/v1/logs/{tenant}/checkpoint}) every few milliseconds and notes
 * when each new tree size was first seen: the time an event became published, which is when a sink may first deliver
 * it. A size is seen up to one poll interval (plus the GET) after it was published, never before.
 */
final class PublishWatch implements AutoCloseable {

    private final Service service;
    private final long pollMillis;
    private final Thread poller;
    private volatile boolean running = true;
    private volatile String tenant;
    private final List<long[]> points = new ArrayList<>(); // {nanoTime first seen, tree size}

    PublishWatch(Service service, long pollMillis) {
        this.service = service;
        this.pollMillis = pollMillis;
        this.poller = new Thread(this::poll, "publish-watch");
        poller.setDaemon(true);
        poller.start();
    }

    /** Watches {@code tenant} from now on, forgetting what was seen before. */
    synchronized void follow(String tenant) {
        this.tenant = tenant;
        points.clear();
    }

    private void poll() {
        while (running) {
            String watched = tenant;
            if (watched != null) {
                try {
                    long size = service.checkpointSize(watched);
                    long now = System.nanoTime();
                    synchronized (this) {
                        if (watched.equals(tenant) && (points.isEmpty() || points.get(points.size() - 1)[1] < size)) {
                            points.add(new long[] {now, size});
                        }
                    }
                } catch (RuntimeException e) {
                    System.err.println("publish watch: " + e.getMessage());
                }
            }
            Service.sleep(pollMillis);
        }
    }

    /** When the followed tenant's tree was first seen with at least {@code size} leaves; 0 if not yet. */
    synchronized long firstAtLeast(long size) {
        int lo = 0;
        int hi = points.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (points.get(mid)[1] >= size) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo < points.size() ? points.get(lo)[0] : 0;
    }

    @Override
    public void close() {
        running = false;
    }
}

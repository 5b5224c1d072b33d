package io.breakwater.agent.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BuiltLaterTest {

    @Test
    void nothingIsBuiltUntilTheFirstGet() {
        AtomicInteger builds = new AtomicInteger();
        BuiltLater<String> value = new BuiltLater<>(() -> "built " + builds.incrementAndGet());

        assertThat(value.ifBuilt()).isNull();
        assertThat(builds).hasValue(0);

        assertThat(value.get()).isEqualTo("built 1");
        assertThat(value.ifBuilt()).isEqualTo("built 1");
        assertThat(value.get()).isEqualTo("built 1");
        assertThat(builds).hasValue(1);
    }

    @Test
    void callersAskingTogetherGetTheOneValueBuiltOnce() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BuiltLater<Object> value = new BuiltLater<>(() -> {
            builds.incrementAndGet();
            building.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Object();
        });
        List<Thread> waiting = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task);
            waiting.add(thread);
            return thread;
        });
        try {
            List<Future<Object>> got = new ArrayList<>();
            got.add(threads.submit(value::get));
            assertThat(building.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 3; i++) {
                got.add(threads.submit(value::get));
            }
            // The three latecomers really ask while the first is still building: they wait for it.
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    waiting.size() == 4 && waiting.stream().skip(1).allMatch(t -> t.getState() == Thread.State.BLOCKED));
            assertThat(value.ifBuilt()).as("not published before it is complete").isNull();
            release.countDown();
            Object first = got.get(0).get(10, TimeUnit.SECONDS);
            for (Future<Object> f : got) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(builds).hasValue(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFailedBuildKeepsNothingAndTheNextGetTriesAgain() {
        AtomicInteger attempts = new AtomicInteger();
        BuiltLater<String> value = new BuiltLater<>(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("not today");
            }
            return "second time";
        });

        assertThatThrownBy(value::get).isInstanceOf(IllegalStateException.class).hasMessage("not today");
        assertThat(value.ifBuilt()).isNull();
        assertThat(value.get()).isEqualTo("second time");
    }
}

package io.breakwater.agent.ocpp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.breakwater.agent.boot.OcppInterceptor;
import io.breakwater.agent.boot.ShortCircuit;
import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.breaker.FailureClassifier;
import io.breakwater.agent.breaker.Outcome;
import io.breakwater.agent.config.OcppTarget;
import io.breakwater.agent.config.OfflineSettings;
import io.breakwater.agent.log.Log;
import io.breakwater.agent.util.BuiltLater;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CSMS breaker in front of every configured OCPP send method. It adds the call timeout the
 * application lacks and counts outcomes. While the breaker is open the charge point behaves as
 * OCPP 1.6 asks of an offline charge point: transaction messages wait in an ordered queue per
 * charge point and are delivered one at a time once the CSMS is back (the application's future
 * completes then), only the latest StatusNotification per connector is kept, Authorize is answered
 * from the authorization cache, heartbeats are dropped, BootNotification always goes through, and
 * everything else fails fast with the exception type the application already handles.
 *
 * <p>What it knows of each stack (how to read its messages, which errors are the CSMS failing) comes
 * from that target's {@link OcppStack}.
 *
 * <p>The offline queues and the authorization cache are Caffeine caches, and Caffeine's classes
 * initialise JDK logging (each takes a {@code System.Logger}), which must not happen before the
 * application has set up its own. They are built by {@link #buildFallback} on the agent's thread
 * once the application is up, or else on the first call that needs them: a call the breaker refused
 * or that failed, and a reply with something to remember (a StartTransaction's transaction id, an
 * IdTagInfo), so that nothing the CSMS said is lost.
 */
public final class OcppGuard implements OcppInterceptor {
    private static final ThreadLocal<boolean[]> DELIVERING = ThreadLocal.withInitial(() -> new boolean[1]);

    /**
     * What a live call carries from enter to exit; an untracked one only gets the timeout. A
     * {@code queueable} one is a transaction message the offline queue may still take over.
     */
    private record Call(int target, Object self, String action, Object[] arguments, boolean tracked, boolean queueable) {}

    private final Breaker breaker;
    private final List<OcppTarget> targets;
    private final OcppStack[] stacks;
    private final List<ClassValue<List<Method>>> sendMethods;
    private final OfflineSettings offline;
    private final AuthorizationCache authorizations;
    private final ScheduledExecutorService scheduler;
    private final BuiltLater<Cache<Object, OfflineQueue>> queues = new BuiltLater<>(() -> Caffeine.newBuilder()
            .weakKeys().executor(Runnable::run).<Object, OfflineQueue>removalListener(this::queueRemoved).build());
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedDeliveries = new AtomicLong();

    public OcppGuard(Breaker breaker, List<OcppTarget> targets, OfflineSettings offline, ScheduledExecutorService scheduler) {
        this.breaker = breaker;
        this.targets = List.copyOf(targets);
        this.offline = offline;
        this.scheduler = scheduler;
        this.authorizations = new AuthorizationCache(offline.authorizationCacheEntries(),
                offline.localAuthorizeOffline(), offline.allowOfflineTxForUnknownId());
        this.stacks = new OcppStack[targets.size()];
        List<ClassValue<List<Method>>> methods = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            OcppTarget t = targets.get(i);
            stacks[i] = OcppStack.of(t);
            methods.add(new ClassValue<>() {
                @Override
                protected List<Method> computeValue(Class<?> owner) {
                    return sendMethods(owner, t.methodName());
                }
            });
        }
        this.sendMethods = List.copyOf(methods);
        // Every time the CSMS may be reachable again, the queues start delivering, each after its own jitter.
        breaker.addTransitionListener(t -> {
            Cache<Object, OfflineQueue> waiting = queues.ifBuilt();
            if (waiting != null && (t.to().equals("half_open") || t.to().equals("closed"))) {
                waiting.asMap().values().forEach(q -> deliverLater(q, jitterMillis()));
            }
        });
    }

    @Override
    public Object enter(int target, Object self, Object[] arguments, String returnType) {
        if (DELIVERING.get()[0]) {
            return null; // the agent's own delivery of a queued message: tracked by the delivery itself
        }
        OcppStack stack = stacks[target];
        stack.prepare(self);
        MessageAccessor messages = stack.messages();
        String action = messages.action(arguments);
        // Only a MeterValues needs its payload read to be classified (in a transaction or not).
        OcppAction kind = OcppAction.of(action,
                action.equals("MeterValues") && messages.requestInteger(arguments, "transactionId") != null);
        boolean async = returnType.equals(CompletableFuture.class.getName()) || returnType.equals(CompletionStage.class.getName());
        boolean canQueue = offline.queueTransactions() && async && self != null;
        if (kind == OcppAction.BOOT && !breaker.isCallPermittedState()) {
            // The charge point's own probe goes through, untracked, but still with the call timeout.
            return new Call(target, self, action, arguments, false, false);
        }
        if (kind == OcppAction.TRANSACTION && canQueue && queued.get() > 0) { // no queue to wait behind if none holds anything
            OfflineQueue waiting = queueIfAny(self);
            if (waiting != null && !waiting.isEmpty()) {
                return keep(waiting, target, action, arguments); // keep the order
            }
        }
        if (breaker.tryAcquirePermission()) {
            if (kind == OcppAction.TRANSACTION && canQueue && !stack.isConnected(self)) {
                // The stack has no connection and might keep the message to send it later behind our
                // back: it is kept here instead, and the missing connection counts as a failure.
                Throwable refused = stack.refusal(arguments);
                if (refused != null) {
                    breaker.releasePermission(); // refused before any attempt to send
                    return ShortCircuit.throwing(refused);
                }
                breaker.record(0, Outcome.FAILURE, stack.notSent(self, "not connected"));
                return ShortCircuit.returning(enqueue(queueOf(self), target, action, arguments));
            }
            return new Call(target, self, action, arguments, true, kind == OcppAction.TRANSACTION && canQueue);
        }
        if (canQueue) {
            switch (kind) {
                case TRANSACTION -> {
                    return keep(queueOf(self), target, action, arguments);
                }
                case STATUS -> {
                    Object reply = messages.emptyReply(arguments);
                    if (reply != null) {
                        Integer connector = messages.requestInteger(arguments, "connectorId");
                        queueOf(self).keepLatestStatus(connector == null ? 0 : connector,
                                new OfflineQueue.Message(target, action, arguments, null, connector, null, null));
                        breaker.fallbackServed();
                        return ShortCircuit.returning(CompletableFuture.completedFuture(reply));
                    }
                }
                case AUTHORIZE -> {
                    IdTagInfo info = authorizations.answerOffline(messages.requestString(arguments, "idTag"));
                    Object reply = info == null ? null : messages.authorizeReply(arguments, info);
                    if (reply != null) {
                        breaker.fallbackServed();
                        return ShortCircuit.returning(CompletableFuture.completedFuture(reply));
                    }
                }
                default -> {
                    // Heartbeat is dropped, anything else cannot wait: fail fast below.
                }
            }
        }
        Throwable rejection = stack.notSent(self, "[breakwater] " + breaker.rejectionMessage() + "; " + action + " not sent");
        return async ? ShortCircuit.returning(CompletableFuture.failedFuture(rejection)) : ShortCircuit.throwing(rejection);
    }

    @Override
    public ShortCircuit exit(Object token, long startNanos, Object returned, Throwable thrown) {
        Call call = (Call) token;
        OcppStack stack = stacks[call.target()];
        if (thrown == null && call.queueable() && returned instanceof CompletableFuture<?> failed
                && failed.isCompletedExceptionally()) {
            // Failed before the send method even returned (not connected, send refused): it never left, so it is
            // safe to queue. The breaker still counts the failure; the queue delivers it once the link is back.
            Throwable error = failed.handle((value, e) -> e).join();
            Outcome outcome = stack.classify(error);
            if (outcome == Outcome.FAILURE && !(FailureClassifier.unwrap(error) instanceof TimeoutException)) {
                breaker.record(System.nanoTime() - startNanos, outcome, error);
                return ShortCircuit.returning(enqueue(queueOf(call.self()), call.target(),
                        call.action(), call.arguments()));
            }
        }
        if (thrown == null && returned instanceof CompletionStage<?> stage) {
            CompletionStage<?> timed = stage;
            if (stage instanceof CompletableFuture<?> future) {
                // The application's own future gets the timeout, so it is released too.
                timed = future.orTimeout(breaker.settings().callTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
            timed.whenComplete((value, error) -> {
                if (call.tracked()) {
                    breaker.record(System.nanoTime() - startNanos, stack.classify(error), error);
                }
                if (error == null) {
                    learn(call.self(), call.target(), call.action(), call.arguments(), value);
                }
            });
            return null;
        }
        if (call.tracked()) {
            breaker.record(System.nanoTime() - startNanos, stack.classify(thrown), thrown);
        }
        return null;
    }

    /** Remembers what a reply says: IdTagInfo for the authorization cache, a Start's transaction id. */
    private void learn(Object self, int target, String action, Object[] arguments, Object reply) {
        if (!AuthorizationCache.carriesIdTagInfo(action)) {
            return; // MeterValues, StatusNotification, Heartbeat...: nothing to learn, so no payload is read
        }
        MessageAccessor messages = stacks[target].messages();
        authorizations.learn(action, messages.requestString(arguments, "idTag"), messages.idTagInfo(reply));
        Integer transactionId = action.equals("StartTransaction") ? messages.replyTransactionId(reply) : null;
        if (transactionId != null && self != null) {
            queueOf(self).links.assigned(transactionId);
        }
    }

    // ---------------------------------------------------------------- the offline queue

    /** Keeps a transaction message for later, unless the stack would have refused it at once anyway. */
    private ShortCircuit keep(OfflineQueue queue, int target, String action, Object[] arguments) {
        Throwable refused = stacks[target].refusal(arguments);
        return refused != null ? ShortCircuit.throwing(refused) : ShortCircuit.returning(enqueue(queue, target, action, arguments));
    }

    private CompletableFuture<Object> enqueue(OfflineQueue queue, int target, String action, Object[] arguments) {
        CompletableFuture<Object> caller = new CompletableFuture<>();
        if (queued.get() >= offline.maxQueuedMessages()) {
            sweepDiscarded(); // a discarded connection's messages no longer take room
        }
        if (queued.get() >= offline.maxQueuedMessages()) {
            OfflineQueue.Message victim = queue.dropOldestMeterValues();
            if (victim != null) {
                queued.decrementAndGet();
                drop(queue, victim.caller, victim.target);
            } else if (action.equals("MeterValues") || queued.get() >= 2L * offline.maxQueuedMessages()) {
                drop(queue, caller, target); // Start and Stop are never dropped for MeterValues, up to twice the bound
                return caller;
            }
        }
        MessageAccessor messages = stacks[target].messages();
        queue.add(new OfflineQueue.Message(target, action, arguments, caller,
                messages.requestInteger(arguments, "connectorId"), messages.requestInteger(arguments, "transactionId"),
                messages.requestString(arguments, "idTag")));
        queued.incrementAndGet();
        breaker.fallbackServed();
        if (breaker.isCallPermittedState()) {
            deliverLater(queue, 0);
        }
        return caller;
    }

    /**
     * Counts out the queues of connections the application let go of (see {@link #queueRemoved}); for the
     * agent's scheduler, so that the figures do not wait for the next call that touches the queues.
     */
    public void sweepDiscarded() {
        Cache<Object, OfflineQueue> all = queues.ifBuilt();
        if (all != null) {
            all.cleanUp();
        }
    }

    /**
     * A charge point's connection the application let go of (garbage-collected) takes its queue with it: what
     * waited there can no longer be sent, so it is counted as dropped and each waiting caller told, on the agent's
     * scheduler (this runs on whichever thread did the cache's maintenance, perhaps the application's).
     */
    private void queueRemoved(Object connection, OfflineQueue queue, RemovalCause cause) {
        if (cause != RemovalCause.COLLECTED || queue == null) {
            return; // detach hands queues back itself
        }
        List<OfflineQueue.Message> lost = queue.takeAll();
        if (lost.isEmpty()) {
            return;
        }
        queued.addAndGet(-lost.size());
        dropped.addAndGet(lost.size());
        Log.warnOnce("ocpp-queue-collected", "OCPP messages queued for a charge point connection the application"
                + " discarded cannot be sent; dropped (see the OfflineQueue MBean)");
        Runnable tell = () -> lost.forEach(message -> message.caller.completeExceptionally(
                new IOException("[breakwater] charge point connection discarded: message not sent")));
        try {
            scheduler.execute(tell);
        } catch (RejectedExecutionException e) {
            tell.run(); // the agent is being detached
        }
    }

    private void drop(OfflineQueue queue, CompletableFuture<Object> caller, int target) {
        dropped.incrementAndGet();
        Log.warnOnce("ocpp-queue-full", "OCPP offline queue is full (" + offline.maxQueuedMessages()
                + " messages); dropping the oldest MeterValues (see the OfflineQueue MBean)");
        caller.completeExceptionally(stacks[target].notSent(queue.connection(),
                "[breakwater] offline queue full: message dropped"));
    }

    private void deliverLater(OfflineQueue queue, long delayMillis) {
        scheduler.schedule(() -> deliverNext(queue), delayMillis, TimeUnit.MILLISECONDS);
    }

    private long jitterMillis() {
        return ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(2_000, breaker.settings().resetTimeout().toMillis() / 4)));
    }

    /** Sends the queue's head (one outstanding CALL per charge point); its reply schedules the next. */
    private void deliverNext(OfflineQueue queue) {
        Object connection = queue.connection();
        if (connection == null) {
            return; // the application let the charge point go: its queue is counted out with it (queueRemoved)
        }
        OfflineQueue.Message head;
        List<OfflineQueue.Message> statuses = null;
        synchronized (queue) {
            if (queue.delivering) {
                return;
            }
            head = queue.head();
            if (head == null) {
                statuses = queue.takeStatuses();
            } else if (!breaker.tryAcquirePermission()) {
                return; // the next transition to half_open or closed starts delivery again
            } else {
                queue.delivering = true;
            }
        }
        if (head == null) {
            // Sent outside the queue's monitor: the application's send method may take locks of its own.
            sendLatestStatuses(queue, statuses);
            return;
        }
        OcppStack stack = stacks[head.target];
        long start = System.nanoTime();
        CompletableFuture<?> reply;
        if (!stack.isConnected(connection)) {
            reply = CompletableFuture.failedFuture(stack.notSent(connection, "not connected")); // never handed over
        } else {
            reply = send(connection, head.target, argumentsToSend(head));
        }
        reply.orTimeout(breaker.settings().callTimeout().toNanos(), TimeUnit.NANOSECONDS).whenComplete((value, error) -> {
            Outcome outcome = stack.classify(error);
            breaker.record(System.nanoTime() - start, outcome, error);
            Throwable cause = error == null ? null : FailureClassifier.unwrap(error);
            boolean notDelivered = error != null && outcome == Outcome.FAILURE && !(cause instanceof TimeoutException);
            boolean givenUp = error != null && !notDelivered && ++head.attempts >= offline.transactionMessageAttempts();
            synchronized (queue) {
                // The head leaves the queue before the next delivery may start: a delivery scheduled meanwhile
                // (every transition schedules one) would otherwise find it still first and send it again.
                if (error == null && head.action.equals("StartTransaction")) {
                    head.assignedTransactionId = stack.messages().replyTransactionId(value);
                }
                if (error == null || givenUp) {
                    complete(queue, head);
                }
                queue.delivering = false;
            }
            if (error == null) {
                head.caller.complete(value);
                learn(connection, head.target, head.action, head.arguments, value);
                deliverLater(queue, 0);
            } else if (notDelivered) {
                // Not delivered (not connected, connection lost): it stays first in line, attempts untouched.
                deliverLater(queue, offline.transactionMessageRetryInterval().toMillis());
            } else if (givenUp) {
                // The CSMS rejected it (CALLERROR) or never answered, as often as allowed: give up on it.
                failedDeliveries.incrementAndGet();
                head.caller.completeExceptionally(cause);
                deliverLater(queue, 0);
            } else {
                deliverLater(queue, offline.transactionMessageRetryInterval().toMillis() * head.attempts);
            }
        });
    }

    /** The message's arguments, with the transaction id its Start was given if it was queued before that was known. */
    private Object[] argumentsToSend(OfflineQueue.Message message) {
        Integer transactionId = message.linkedTransactionId();
        Object[] changed = transactionId == null ? null : stacks[message.target].messages().withTransactionId(message.arguments, transactionId);
        return changed == null ? message.arguments : changed;
    }

    private void complete(OfflineQueue queue, OfflineQueue.Message head) {
        if (head.action.equals("StopTransaction")) {
            queue.links.forget(head.transactionId);
        }
        if (queue.removeHead(head)) { // not if detach handed the queue back meanwhile: it counted it then
            queued.decrementAndGet();
        }
        delivered.incrementAndGet();
    }

    private void sendLatestStatuses(OfflineQueue queue, List<OfflineQueue.Message> statuses) {
        Object connection = queue.connection();
        if (connection != null) {
            for (OfflineQueue.Message status : statuses) {
                send(connection, status.target, status.arguments);
            }
        }
    }

    /** Calls the application's send method on the charge point's own connection, past this guard. */
    private CompletableFuture<?> send(Object connection, int target, Object[] arguments) {
        boolean[] delivering = DELIVERING.get();
        delivering[0] = true;
        try {
            Method method = sendMethods.get(target).get(connection.getClass()).stream()
                    .filter(m -> m.getParameterCount() == arguments.length).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no send method taking " + arguments.length + " arguments"));
            Object result = method.invoke(connection, arguments);
            return result instanceof CompletionStage<?> stage ? stage.toCompletableFuture()
                    : CompletableFuture.completedFuture(result);
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(FailureClassifier.unwrap(t));
        } finally {
            delivering[0] = false;
        }
    }

    /**
     * On detach: sends every queued message through the (now uninstrumented) send method in order,
     * as the application would have done, and completes each application future with the outcome.
     */
    public void handBack() {
        Cache<Object, OfflineQueue> all = queues.ifBuilt();
        if (all == null) {
            return; // nothing was ever queued
        }
        for (OfflineQueue queue : all.asMap().values()) {
            Object connection = queue.connection();
            synchronized (queue) {
                if (queue.delivering) {
                    // The head is on its way to the CSMS: its own reply completes it; sending it again could deliver it twice.
                    OfflineQueue.Message inFlight = queue.head();
                    if (inFlight != null && queue.removeHead(inFlight)) {
                        queued.decrementAndGet();
                    }
                }
            }
            for (OfflineQueue.Message head = queue.head(); head != null; head = queue.head()) {
                OfflineQueue.Message m = head;
                if (!queue.removeHead(m)) {
                    break; // counted out meanwhile: its connection was let go of (queueRemoved)
                }
                queued.decrementAndGet();
                CompletableFuture<?> outcome = connection == null
                        ? CompletableFuture.failedFuture(new IOException("[breakwater] charge point gone at detach"))
                        : send(connection, m.target, argumentsToSend(m));
                outcome.whenComplete((value, error) -> {
                    if (error == null) {
                        m.caller.complete(value);
                    } else {
                        m.caller.completeExceptionally(FailureClassifier.unwrap(error));
                    }
                });
            }
            if (connection != null) {
                sendLatestStatuses(queue, queue.takeStatuses());
            }
        }
        all.invalidateAll();
    }

    // ---------------------------------------------------------------- helpers

    /** Builds the offline queues and the authorization cache ahead of need; for the agent's thread once the application is up. */
    public void buildFallback() {
        queues.get();
        authorizations.build();
    }

    /** Whether the offline queues and the authorization cache exist yet (for tests). */
    boolean fallbackBuilt() {
        return queues.ifBuilt() != null && authorizations.isBuilt();
    }

    /** The charge point's queue, made now if it has none (and the queues built if they were not yet). */
    private OfflineQueue queueOf(Object connection) {
        return queues.get().get(connection, OfflineQueue::new);
    }

    /** The charge point's queue, or {@code null}; never builds anything. */
    private OfflineQueue queueIfAny(Object connection) {
        Cache<Object, OfflineQueue> all = queues.ifBuilt();
        return all == null ? null : all.getIfPresent(connection);
    }

    private static List<Method> sendMethods(Class<?> owner, String name) {
        List<Method> found = new ArrayList<>();
        for (Method m : owner.getMethods()) {
            if (m.getName().equals(name) && !Modifier.isAbstract(m.getModifiers())) {
                m.setAccessible(true); // the declaring class need not be public
                found.add(m);
            }
        }
        return List.copyOf(found);
    }

    public Breaker breaker() {
        return breaker;
    }

    public int queuedMessages() { return queued.get(); }
    public long deliveredMessages() { return delivered.get(); }
    public long droppedMessages() { return dropped.get(); }
    public long failedDeliveries() { return failedDeliveries.get(); }
    public long cachedAuthorizations() { return authorizations.size(); }

    /** Age of the oldest message waiting in any queue, in seconds. */
    public double oldestQueuedSeconds() {
        long oldest = 0;
        Cache<Object, OfflineQueue> all = queues.ifBuilt();
        for (OfflineQueue q : all == null ? List.<OfflineQueue>of() : all.asMap().values()) {
            oldest = Math.max(oldest, q.oldestAgeNanos());
        }
        return oldest / 1e9;
    }
}

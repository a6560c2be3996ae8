package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.PendingRevocationEvent;
import io.github.cognitorevoke.internal.CognitoGateway.Done;
import io.github.cognitorevoke.internal.CognitoGateway.Outcome;
import io.github.cognitorevoke.internal.CognitoGateway.Refused;
import io.github.cognitorevoke.internal.CognitoGateway.Retry;
import io.github.cognitorevoke.internal.PendingRevocations.Digest;
import io.github.cognitorevoke.internal.PendingRevocations.Entry;
import io.github.cognitorevoke.internal.PendingRevocations.Kind;
import io.github.cognitorevoke.internal.PendingRevocations.Trust;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Cognito calls of an engine and their retries: every attempt (first or later), the sweep of
 * pending work, take-over from a {@link PendingStore}, back-off, and the thread that runs it.
 *
 * <p>Each sweep first drops entries past their deadline, then calls every due verified entry;
 * while Cognito is failing and nothing was due, it probes with the earliest entry (verified
 * first), and when Cognito answers again makes every verified entry due at once. Unverified entries
 * get at most {@link #UNVERIFIED_CALLS_PER_SWEEP} calls per sweep, none once a call of the sweep
 * was asked to retry, so junk never delays a genuine user's revocation.
 *
 * <p>With a shared store an entry is saved there when it first goes pending and forgotten when it
 * ends; each sweep, right after dropping what is past its deadline, renews this node's lease and
 * takes over what nodes that went away left; {@link #close()} hands this node's entries to the others.
 */
final class RetryWorker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.github.cognitorevoke");
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);
    /** Calls for unverified work per one-second sweep, well under Cognito's default RevokeToken quota. */
    static final int UNVERIFIED_CALLS_PER_SWEEP = 20;
    /** Until the pool's key set was fetched once, it is fetched in the background this often. */
    static final long KEY_PREFETCH_INTERVAL_SECONDS = 30;

    private final Clock clock;
    private final PendingRevocations pending;
    private final PendingStore store;
    private final CognitoGateway cognito;
    private final Observers observers;
    private final WarnOnce warnings;
    private final Duration pendingDeadline;
    private ScheduledExecutorService thread;
    private ScheduledFuture<?> sweeps;
    // Set by any attempt that was asked to retry, cleared by any that Cognito answered.
    private volatile boolean cognitoFailing;

    RetryWorker(Clock clock, PendingRevocations pending, PendingStore store, CognitoGateway cognito,
                Observers observers, WarnOnce warnings, Duration pendingDeadline) {
        this.clock = clock;
        this.pending = pending;
        this.store = store;
        this.cognito = cognito;
        this.observers = observers;
        this.warnings = warnings;
        this.pendingDeadline = pendingDeadline;
    }

    /**
     * Starts the thread: a sweep every second, and the key prefetch until it works.
     *
     * @param prefetchKeys fetches the pool's keys; true once they were fetched
     */
    void start(Runnable prefetchKeys) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cognito-revoke-retry");
            t.setDaemon(true);
            return t;
        });
        sweeps = thread.scheduleWithFixedDelay(this::sweepQuietly, 1, 1, TimeUnit.SECONDS);
        // Readiness and a quick first logout: fetch the pool's keys now, again every 30 s until it works.
        thread.scheduleWithFixedDelay(prefetchKeys, 0, KEY_PREFETCH_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Runs a task on the thread at a fixed delay, the first time after one delay; nothing before
     * {@link #start} (an engine without the thread). A task that throws is logged and runs again.
     *
     * @param delay the delay
     * @param task  the task; must be quick compared with the delay
     */
    void every(Duration delay, Runnable task) {
        if (thread == null) {
            return;
        }
        thread.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cognito-revoke: a periodic task failed: " + e);
            }
        }, delay.toMillis(), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return whether the thread runs: false once it stopped or died, and before {@link #start} */
    boolean alive() {
        return sweeps != null && !sweeps.isDone() && !thread.isShutdown();
    }

    /** Calls Cognito for an in-flight entry, then requeues it with backoff or ends it. */
    Outcome attempt(Entry entry) {
        Outcome outcome;
        long started = System.nanoTime();
        try {
            outcome = entry.kind() == Kind.REVOKE
                    ? cognito.revoke(entry.credential()) : cognito.globalSignOut(entry.credential());
        } catch (RuntimeException e) {
            // A gateway must not throw; if one does, the entry must still be requeued, never leaked in flight.
            outcome = new Retry("calling Cognito failed: " + e.getClass().getSimpleName(), null);
        }
        if (outcome instanceof Retry r && r.refusedIfUnverified() != null && entry.trust() == Trust.UNVERIFIED) {
            outcome = r.refusedIfUnverified();
        }
        observers.cognitoCalled(entry.kind() == Kind.GLOBAL_SIGN_OUT, outcome, System.nanoTime() - started);
        if (outcome instanceof Retry retry) {
            cognitoFailing = true;
            entry.attempts++;
            Instant next = clock.instant().plus(backoff(entry.attempts));
            // Saved while still in flight, so that no sweep can finish it (and remove it) before it is saved.
            if (pending.share(entry)) {
                store.save(stored(entry));
            }
            pending.requeue(entry, next);
            if (retry.warningKey() != null) {
                warnings.warn(retry.warningKey(), "cognito-revoke: " + retry.cause()
                        + "; the revocation is kept and retried in the background until its deadline"
                        + (retry.operator() == null ? "" : ": " + retry.operator()));
            }
            return outcome;
        }
        cognitoFailing = false;
        pending.finish(entry);
        if (entry.shared) {
            store.remove(entry.id());
        }
        if (outcome instanceof Refused r && r.operator() != null) {
            warnings.warn(r.warningKey(), "cognito-revoke: " + r.operator());
        } else if (outcome instanceof Done) {
            warnings.cleared(SdkCognitoGateway.WARN_LOGOUT);
        }
        if (entry.attempts() > 0) {
            if (outcome instanceof Done) {
                LOG.log(System.Logger.Level.INFO, "cognito-revoke: a pending revocation completed after {0} attempts",
                        entry.attempts() + 1);
            }
            observers.pendingEnded(outcome instanceof Done ? PendingRevocationEvent.Outcome.COMPLETED
                    : PendingRevocationEvent.Outcome.REFUSED, entry.kind() == Kind.GLOBAL_SIGN_OUT, entry.attempts() + 1);
        }
        return outcome;
    }

    /**
     * One sweep of the pending work: drops what is past its deadline, serves every due verified
     * entry, probes a failing Cognito when nothing was due, then gives unverified entries a bounded share.
     */
    void sweep() {
        Instant now = clock.instant();
        for (Entry dropped : pending.expire(now)) {
            if (dropped.shared) {
                store.release(dropped.id());
            }
            warnDropped(dropped);
        }
        takeOver(now);
        int calls = 0;
        boolean retried = false;
        Entry e;
        while ((e = pending.pollDue(Trust.VERIFIED, now)) != null) {
            calls++;
            retried |= attempt(e) instanceof Retry;
        }
        int unverifiedCalls = 0;
        if (calls == 0 && cognitoFailing && (e = pending.pollEarliest()) != null) {
            unverifiedCalls += e.trust() == Trust.UNVERIFIED ? 1 : 0;
            if (attempt(e) instanceof Retry) {
                retried = true;
            } else {
                // Cognito answers again: every verified revocation goes now, not after its backoff.
                pending.makeDue(Trust.VERIFIED, now);
                while ((e = pending.pollDue(Trust.VERIFIED, now)) != null) {
                    retried |= attempt(e) instanceof Retry;
                }
            }
        }
        // Unverified work only while Cognito keeps up: the first retry of the sweep stops it.
        while (!retried && unverifiedCalls < UNVERIFIED_CALLS_PER_SWEEP
                && (e = pending.pollDue(Trust.UNVERIFIED, now)) != null) {
            unverifiedCalls++;
            retried = attempt(e) instanceof Retry;
        }
    }

    private static PendingStore.Pending stored(Entry e) {
        boolean signOut = e.kind() == Kind.GLOBAL_SIGN_OUT;
        return new PendingStore.Pending(e.id(), signOut, e.trust() == Trust.VERIFIED, signOut ? (String) e.key : null,
                e.credential(), e.deadline());
    }

    /** Renews this node's lease and takes over what nodes that went away left, as their caps allow. */
    private void takeOver(Instant now) {
        for (PendingStore.Pending p : store.sweep(now)) {
            if (!p.deadline().isAfter(now)) {
                store.release(p.id());
                continue;
            }
            Kind kind = p.globalSignOut() ? Kind.GLOBAL_SIGN_OUT : Kind.REVOKE;
            Object key = p.globalSignOut() ? p.subject() : Digest.of(p.credential());
            Trust trust = p.verified() ? Trust.VERIFIED : Trust.UNVERIFIED;
            switch (pending.adopt(kind, key, p.id(), p.credential(), trust, p.deadline(), now)) {
                case NO_ROOM -> store.giveBack(p);
                case REDUNDANT -> store.remove(p.id());
                default -> {
                }
            }
        }
    }

    private void warnDropped(Entry e) {
        observers.pendingEnded(PendingRevocationEvent.Outcome.GAVE_UP, e.kind() == Kind.GLOBAL_SIGN_OUT, e.attempts());
        if (e.kind() == Kind.GLOBAL_SIGN_OUT) {
            warnings.warn("deadline:global-sign-out", "cognito-revoke: a GlobalSignOut could not reach Cognito"
                    + " before the access token that authorizes it expired; it is dropped, the local cut-off stands");
        } else {
            warnings.warn("deadline:" + e.trust(), "cognito-revoke: a RevokeToken ("
                    + (e.trust() == Trust.VERIFIED ? "with a verified access token" : "with a refresh token alone")
                    + ") was not confirmed by Cognito within pendingDeadline=" + pendingDeadline
                    + " after " + e.attempts() + " attempts; it is dropped and that refresh token may still be valid"
                    + " at Cognito");
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // Never let the retry thread die: the next tick tries again.
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: retrying pending revocations failed: " + e);
        }
    }

    /** Exponential backoff with jitter: about 1 s, 2 s, 4 s, ... up to 5 minutes. */
    static Duration backoff(int attempts) {
        long max = Math.min(LONGEST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(Math.max(attempts, 1) - 1, 20));
        return Duration.ofMillis(max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1));
    }

    /** Stops the thread, then hands what the store saved to the other nodes. */
    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
        // Lets another node take over, at its next sweep, what this one saved.
        store.close();
        int left = pending.size();
        if (left > 0) {
            LOG.log(System.Logger.Level.WARNING, "cognito-revoke: stopping with {0} revocations still pending at Cognito"
                    + (store == PendingStore.NONE ? "" : "; those saved in Redis are finished by another node"), left);
        }
    }
}

package io.github.cognitorevoke.it.app;

import io.github.cognitorevoke.LogoutEvent;
import io.github.cognitorevoke.PendingRevocationEvent;
import io.github.cognitorevoke.SignOutEverywhereEvent;
import io.github.cognitorevoke.TokenRejectedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The application's observer of cognito-revoke's events, as docs/operations.md shows one: every kind observed
 * both synchronously ({@code @Observes}) and asynchronously ({@code @ObservesAsync}), each delivery kept as
 * one line ({@code sync|async <Event> field=value ...}, without the time) for {@link EventsServlet}.
 */
@ApplicationScoped
public class EventRecorder {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** @return every delivery so far, in arrival order */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    void logout(@Observes LogoutEvent e) {
        lines.add("sync " + line(e));
    }

    void logoutAsync(@ObservesAsync LogoutEvent e) {
        lines.add("async " + line(e));
    }

    void signOut(@Observes SignOutEverywhereEvent e) {
        lines.add("sync " + line(e));
    }

    void signOutAsync(@ObservesAsync SignOutEverywhereEvent e) {
        lines.add("async " + line(e));
    }

    void pending(@Observes PendingRevocationEvent e) {
        lines.add("sync " + line(e));
    }

    void pendingAsync(@ObservesAsync PendingRevocationEvent e) {
        lines.add("async " + line(e));
    }

    void rejected(@Observes TokenRejectedEvent e) {
        lines.add("sync " + line(e));
    }

    void rejectedAsync(@ObservesAsync TokenRejectedEvent e) {
        lines.add("async " + line(e));
    }

    private static String line(LogoutEvent e) {
        return "LogoutEvent status=" + e.status() + " reason=" + e.refusalReason() + " denylisted="
                + e.accessTokenDenylisted() + " sub=" + e.sub() + " jti=" + e.jti() + dated(e.at());
    }

    private static String line(SignOutEverywhereEvent e) {
        return "SignOutEverywhereEvent status=" + e.status() + " reason=" + e.refusalReason() + " sub=" + e.sub()
                + dated(e.at());
    }

    private static String line(PendingRevocationEvent e) {
        return "PendingRevocationEvent outcome=" + e.outcome() + " globalSignOut=" + e.globalSignOut()
                + " attempts=" + e.attempts() + dated(e.at());
    }

    private static String line(TokenRejectedEvent e) {
        return "TokenRejectedEvent path=" + e.path() + " sub=" + e.sub() + " match=" + e.match() + dated(e.at());
    }

    /** Only whether the time is set: the test cannot know it. */
    private static String dated(java.time.Instant at) {
        return at != null && at.getEpochSecond() > 0 ? " dated" : " undated";
    }
}

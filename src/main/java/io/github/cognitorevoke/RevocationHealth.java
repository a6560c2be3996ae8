package io.github.cognitorevoke;

/**
 * The health of one application's cognito-revoke, from {@link TokenRevocationService#health()}; the
 * same state the MicroProfile Health checks named {@code cognito-revoke} report where MicroProfile
 * Health is present.
 *
 * @param live   the background worker that retries pending revocations runs (liveness)
 * @param ready  the user pool's signing keys (JWKS) were fetched at least once, so logouts can
 *               verify access tokens, and, with {@code redisUri}, this node's copy of the shared
 *               denylist is in sync: its first sync completed and no subscription to Redis was lost
 *               since without the resync after it (readiness)
 * @param detail a short human-readable account (no token, no secret)
 */
public record RevocationHealth(boolean live, boolean ready, String detail) {
}

package io.github.cognitorevoke.testing;

/**
 * One {@code GET /logout} that {@link CognitoStub}'s managed login received, recorded before the
 * answer went out.
 *
 * @param clientId    the {@code client_id} parameter, or {@code null}
 * @param logoutUri   the {@code logout_uri} parameter, or {@code null}
 * @param redirectUri the {@code redirect_uri} parameter, or {@code null}
 * @param location    where the stub sent the browser (its {@code Location}): the sign-out URL, the
 *                    {@code /login} page, or the {@code /error} page; {@code null} for a 405
 * @param sessionEnded whether the managed-login session cookie was cleared (a valid request)
 */
public record ManagedLogoutCall(String clientId, String logoutUri, String redirectUri, String location,
                                boolean sessionEnded) {
}

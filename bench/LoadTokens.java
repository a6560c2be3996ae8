import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * bench/load.sh's Cognito: starts the wire stub (keys, JWKS, RevokeToken), signs in N users and
 * writes their tokens, then serves until the script stops it (by PID).
 *
 * <p>Usage: {@code java -cp <test classpath> bench/LoadTokens.java <out dir> <tokens> [<callback>]}. Writes
 * {@code cognito.env} (shell variables) and {@code tokens.txt} (one line per token:
 * {@code index access-token refresh-token}); prints {@code READY} when done.
 *
 * <p>With a callback (bench/hostile-session.sh), the app client is a confidential one whose
 * callback URL that is, and the managed login knows the user {@code benchuser}: a server's own
 * OpenID Connect login ({@link CognitoStub#openIdProviderUri()}) signs in against the stub.
 * {@code cognito.env} then also names the provider, the client's secret and the user's password.
 */
public class LoadTokens {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        CognitoStub stub = CognitoStub.builder().region("eu-west-1").start();
        String callback = args.length > 2 ? args[2] : null;
        String secret = callback == null ? null : "bench-oidc-secret-" + Long.toHexString(System.nanoTime());
        stub.addClient("benchclient", secret, true);
        String oidc = "";
        if (callback != null) {
            stub.setCallbackUrls("benchclient", callback);
            stub.addUser("benchuser", "Bench-passw0rd!");
            oidc = "COGNITO_PROVIDER_URL=" + stub.openIdProviderUri() + "\n"
                    + "COGNITO_CLIENT_SECRET=" + secret + "\n"
                    + "COGNITO_USER=benchuser\n"
                    + "COGNITO_PASSWORD=Bench-passw0rd!\n";
        }
        // Long enough for the whole benchmark; Cognito allows up to a day.
        stub.setAccessTokenValidity(Duration.ofDays(1));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StubTokens t = stub.login("benchclient", "user" + i);
            lines.add(i + " " + t.accessToken() + " " + t.refreshToken());
        }
        Files.write(out.resolve("tokens.txt"), lines);
        Files.writeString(out.resolve("cognito.env"),
                "COGNITO_ENDPOINT=" + stub.endpoint() + "\n"
                + "COGNITO_REGION=" + stub.region() + "\n"
                + "COGNITO_USER_POOL_ID=" + stub.userPoolId() + "\n"
                + "COGNITO_ISSUER=" + stub.issuer() + "\n"
                + "COGNITO_JWKS_URI=" + stub.jwksUri() + "\n"
                + "COGNITO_CLIENT_ID=benchclient\n" + oidc);
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}

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
 * <p>Usage: {@code java -cp <test classpath> bench/LoadTokens.java <out dir> <tokens>}. Writes
 * {@code cognito.env} (shell variables) and {@code tokens.txt} (one line per token:
 * {@code index access-token refresh-token}); prints {@code READY} when done.
 */
public class LoadTokens {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        CognitoStub stub = CognitoStub.builder().region("eu-west-1").start();
        stub.addClient("benchclient", null, true);
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
                + "COGNITO_CLIENT_ID=benchclient\n");
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}

package io.github.cognitorevoke.testing;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The Cognito wire stub as a process of its own, for {@code examples/run --managed-login}: a user pool
 * with one confidential app client and one user, its managed login (the sign-in form, the OAuth
 * endpoints, {@code /logout}) and its API, on a loopback port the system picks. Prints what an
 * application needs as {@code NAME=value} lines (the client secret is random per run and named only
 * there), then serves until the process is stopped.
 *
 * <pre>
 *   java -cp &lt;tests jar and the library's classpath&gt; io.github.cognitorevoke.testing.CognitoStubMain \
 *       --user NAME --callback URL --logout-uri URL   (password from DEMO_PASSWORD)
 * </pre>
 */
public final class CognitoStubMain {

    private CognitoStubMain() {
    }

    /**
     * Starts the stub and serves until the process is stopped.
     *
     * @param args {@code --user NAME}, {@code --callback URL} (an allowed callback URL; may repeat),
     *             {@code --logout-uri URL} (an allowed sign-out URL; may repeat); the user's password
     *             comes from the environment variable {@code DEMO_PASSWORD}
     * @throws InterruptedException if the main thread is interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        String user = null;
        List<String> callbacks = new ArrayList<>();
        List<String> logoutUris = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--user" -> user = args[i + 1];
                case "--callback" -> callbacks.add(args[i + 1]);
                case "--logout-uri" -> logoutUris.add(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String password = System.getenv("DEMO_PASSWORD");
        if (user == null || password == null || password.isEmpty() || callbacks.isEmpty() || logoutUris.isEmpty()) {
            System.err.println("usage: DEMO_PASSWORD=... CognitoStubMain --user NAME --callback URL --logout-uri URL");
            System.exit(2);
        }
        String client = "demo" + HexFormat.of().formatHex(random(11));
        String secret = HexFormat.of().formatHex(random(24));
        CognitoStub stub = CognitoStub.builder().userPoolId("local_" + HexFormat.of().formatHex(random(4))).start();
        stub.addClient(client, secret, true);
        stub.addUser(user, password);
        stub.setCallbackUrls(client, callbacks.toArray(String[]::new));
        stub.setLogoutUrls(client, logoutUris.toArray(String[]::new));
        System.out.println("COGNITO_REGION=" + stub.region());
        System.out.println("COGNITO_USER_POOL_ID=" + stub.userPoolId());
        System.out.println("COGNITO_CLIENT_ID=" + client);
        System.out.println("COGNITO_CLIENT_SECRET=" + secret);
        System.out.println("COGNITO_ENDPOINT=" + stub.endpoint());
        System.out.println("COGNITO_ISSUER=" + stub.issuer());
        System.out.println("COGNITO_JWKS_URI=" + stub.jwksUri());
        System.out.println("COGNITO_DOMAIN=" + stub.managedLoginDomain());
        System.out.println("READY");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(stub::close, "stub-stop"));
        Thread.currentThread().join(); // serves until the process is stopped
    }

    private static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return b;
    }
}

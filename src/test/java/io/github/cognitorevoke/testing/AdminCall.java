package io.github.cognitorevoke.testing;

import java.util.Set;

/**
 * One call of an IAM-authorized operation that {@link CognitoStub} received
 * ({@code DescribeUserPoolClient}, {@code AdminGetUser}, {@code AdminUserGlobalSignOut}).
 *
 * @param operation the operation, from {@code X-Amz-Target}
 * @param signed    whether the request carried an {@code Authorization} header (unsigned ones are refused)
 * @param errorType the {@code __type} answered, or null for success
 */
public record AdminCall(String operation, boolean signed, String errorType) {

    /** The operations the stub serves only to signed requests. */
    static final Set<String> OPERATIONS = Set.of("DescribeUserPoolClient", "AdminGetUser", "AdminUserGlobalSignOut");
}

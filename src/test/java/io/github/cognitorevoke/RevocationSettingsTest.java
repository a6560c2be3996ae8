package io.github.cognitorevoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings object itself: its names, the Redis part, and a builder that can be reused after build(). */
class RevocationSettingsTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private static RevocationSettings.Builder builder() {
        return RevocationSettings.builder("eu-west-1", "eu-west-1_AbCdEfGhI", "client1");
    }

    @Test
    void parameters_everyNameConstant_isAKnownParameter() throws IllegalAccessException {
        List<String> constants = new ArrayList<>();
        for (Field f : RevocationSettings.class.getFields()) {
            if (f.getType() == String.class && Modifier.isStatic(f.getModifiers())) {
                constants.add((String) f.get(null));
            }
        }
        assertThat(RevocationSettings.PARAMETERS).containsExactlyInAnyOrderElementsOf(constants);
    }

    @Test
    void redis_withoutRedisUri_isAbsent_andFlatAccessorsAnswerDefaults() {
        RevocationSettings s = builder().redisTimeout(Duration.ofSeconds(1)).build();
        assertThat(s.redis()).isEmpty();
        assertThat(s.redisUri()).isEmpty();
        assertThat(s.redisTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.redisKeyPrefix()).isEqualTo("cognito-revoke:");
    }

    @Test
    void redisUri_sentinel_isAccepted_andShownWithoutItsPassword() {
        RevocationSettings s = builder()
                .redisUri("redis-sentinel://app:s3cret@10.0.0.1:26379,10.0.0.2,10.0.0.3:26380/0?sentinelMasterId=mymaster")
                .build();
        assertThat(s.redisServer()).contains(
                "redis-sentinel://app:***@10.0.0.1:26379,10.0.0.2,10.0.0.3:26380/0?sentinelMasterId=mymaster");
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void redisUri_sentinelWithoutMasterIdOrWithAnotherQuery_failsNamingTheParameter() {
        for (String bad : List.of("redis-sentinel://10.0.0.1:26379", "redis-sentinel://10.0.0.1:26379?sentinelMasterId=",
                "redis-sentinel://10.0.0.1:26379?sentinelMasterId=m&password=x", "redis-sentinel://10.0.0.1:0?sentinelMasterId=m",
                "redis-sentinel://a b:26379?sentinelMasterId=m")) {
            assertThatThrownBy(() -> builder().redisUri(bad)).as(bad)
                    .isInstanceOf(RevocationConfigurationException.class).hasMessageContaining("redisUri");
        }
    }

    @Test
    void hashTag_isWhatTheFirstBraceOpensAndTheNextCloses_asRedisClusterHashesIt() {
        assertThat(RevocationSettings.hashTag("{cognito-revoke}:")).contains("cognito-revoke");
        assertThat(RevocationSettings.hashTag("shop:{eu}:x}")).contains("eu");
        assertThat(RevocationSettings.hashTag("shop:")).isEmpty();
        assertThat(RevocationSettings.hashTag("{}shop{eu}:")).as("an empty first tag: Redis hashes the whole key").isEmpty();
        assertThat(RevocationSettings.hashTag("shop{eu:")).isEmpty();
    }

    @Test
    void redis_withRedisUri_groupsTheSameValuesAsTheFlatAccessors() {
        RevocationSettings s = builder().redisUri("redis://app:pw@cache:6379/1").redisKeyPrefix("shop:")
                .redisEncryptionKey(KEY).redisTimeout(Duration.ofMillis(200)).redisSyncTimeout(Duration.ofSeconds(3))
                .redisMaxBufferedWrites(7).redisLease(Duration.ofSeconds(4)).build();
        RevocationSettings.Redis redis = s.redis().orElseThrow();
        assertThat(redis.uri()).isEqualTo(URI.create("redis://app:pw@cache:6379/1")).isEqualTo(s.redisUri().orElseThrow());
        assertThat(redis.server()).isEqualTo("redis://app:***@cache:6379/1").isEqualTo(s.redisServer().orElseThrow());
        assertThat(redis.keyPrefix()).isEqualTo("shop:");
        assertThat(redis.encryptionKey()).hasValueSatisfying(k -> assertThat(k).hasSize(32));
        assertThat(redis.timeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(redis.syncTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(redis.maxBufferedWrites()).isEqualTo(7);
        assertThat(redis.lease()).isEqualTo(Duration.ofSeconds(4));
        assertThat(redis.toString()).doesNotContain("pw");
    }

    @Test
    void builder_changedAfterBuild_leavesBuiltSettingsAsTheyWere() {
        RevocationSettings.Builder b = builder().clockSkew(Duration.ofSeconds(5));
        RevocationSettings first = b.build();
        b.clockSkew(Duration.ofSeconds(9)).issuer("https://issuer.example/x").redisUri("redis://cache");
        assertThat(first.clockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(first.issuer()).isEqualTo("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI");
        assertThat(first.redis()).isEmpty();
        assertThat(b.build().jwksUri()).isEqualTo(URI.create("https://issuer.example/x/.well-known/jwks.json"));
    }

    @Test
    void toString_showsTheRedisPartOnlyWhenSet_withoutPasswordOrKey() {
        assertThat(builder().build().toString()).doesNotContain("redis").endsWith("auditLog=true]");
        assertThat(builder().redisUri("rediss://:pw@cache:6380").redisEncryptionKey(KEY).build().toString())
                .contains(", redisUri=rediss://:***@cache:6380, redisKeyPrefix=cognito-revoke:",
                        "redisEncryptionKey=(set)")
                .doesNotContain("pw").doesNotContain(KEY);
    }
}

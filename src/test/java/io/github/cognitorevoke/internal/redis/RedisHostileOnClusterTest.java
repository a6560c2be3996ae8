package io.github.cognitorevoke.internal.redis;

/** Every test of {@link RedisHostileTest}, unchanged, on a Redis Cluster of three primaries with a replica each. */
class RedisHostileOnClusterTest extends RedisHostileTest implements RedisTierTest.OnCluster {
}

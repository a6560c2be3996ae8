package io.github.cognitorevoke.internal.redis;

/** Every test of {@link RedisIndexTest}, unchanged, on a Redis Cluster of three primaries with a replica each. */
class RedisIndexOnClusterTest extends RedisIndexTest implements RedisTierTest.OnCluster {
}

package io.github.cognitorevoke.internal.redis;

/** Every test of {@link RedisDenylistTest}, unchanged, on a Redis Cluster of three primaries with a replica each. */
class RedisDenylistOnClusterTest extends RedisDenylistTest implements RedisTierTest.OnCluster {
}

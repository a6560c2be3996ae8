/**
 * What the tests share, in one place: {@link io.github.cognitorevoke.support.EngineFixture} (an engine
 * against the wire stub), {@link io.github.cognitorevoke.support.JettyFixture} (the filter in embedded
 * Jetty), {@link io.github.cognitorevoke.support.StubSettings} (settings and init-params that point at
 * the stub), {@link io.github.cognitorevoke.support.FakeRequest}, {@link io.github.cognitorevoke.support.TestClock}
 * and {@link io.github.cognitorevoke.support.RedisProcess} (a real {@code redis-server}).
 *
 * <p>Unlike the wire stub in {@code testing}, none of this is published. Only public types of the
 * library are used here; a test that needs package-private internals keeps its helper in that package.
 */
package io.github.cognitorevoke.support;

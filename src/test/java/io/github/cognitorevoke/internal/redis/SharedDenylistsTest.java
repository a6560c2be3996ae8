package io.github.cognitorevoke.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import org.junit.jupiter.api.Test;

class SharedDenylistsTest {

    /** Sees every class the test sees, except Lettuce's: a WAR that sets redisUri but left Lettuce out. */
    private static final class WithoutLettuce extends ClassLoader {
        WithoutLettuce(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.lettuce.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void lettuceMissing_failsNamingRedisUriAndTheDependencyToAdd() {
        ClassLoader loader = new WithoutLettuce(SharedDenylistsTest.class.getClassLoader());

        assertThatThrownBy(() -> SharedDenylists.requireLettuce(loader))
                .isInstanceOfSatisfying(RevocationConfigurationException.class,
                        e -> assertThat(e.parameter()).isEqualTo(RevocationSettings.REDIS_URI))
                .hasMessageContaining("init-param 'redisUri'")
                .hasMessageContaining("add the dependency io.lettuce:lettuce-core (7.x) to the WAR");
    }

    @Test
    void lettucePresent_passes() {
        assertThatCode(() -> SharedDenylists.requireLettuce(SharedDenylistsTest.class.getClassLoader()))
                .doesNotThrowAnyException();
    }
}

package io.github.cognitorevoke.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisProcessTest {

    @Test
    void startStopStart_answersOnlyWhileRunning_andRestartsEmpty() {
        try (RedisProcess redis = RedisProcess.start("self-test")) {
            assertThat(redis.command("PING")).isEqualTo("+PONG");
            assertThat(redis.command("SET k v")).isEqualTo("+OK");
            long pid = redis.pid();
            redis.stop();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(redis.command("PING")).isNull();
            redis.start();
            assertThat(redis.command("EXISTS k")).isEqualTo(":0");
        }
    }
}

package io.github.cognitorevoke.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WriteBufferTest {

    private static DenylistWrite id(String key, long end) {
        return new DenylistWrite(key, false, key, 0, end);
    }

    @Test
    void secondWriteOfAKey_mergesKeepLater_intoOneSlotWithOneFuture() {
        WriteBuffer buffer = new WriteBuffer(10);
        WriteBuffer.Kept first = buffer.keep(id("k", 200));
        WriteBuffer.Kept shorter = buffer.keep(id("k", 100));
        WriteBuffer.Kept cut = buffer.keep(new DenylistWrite("s", true, "s", 5, 50));
        WriteBuffer.Kept laterCut = buffer.keep(new DenylistWrite("s", true, "s", 3, 70));

        assertThat(shorter.confirmed()).isSameAs(first.confirmed());
        assertThat(laterCut.confirmed()).isSameAs(cut.confirmed());
        assertThat(buffer.snapshot()).extracting(WriteBuffer.Slot::write)
                .containsExactly(id("k", 200), new DenylistWrite("s", true, "s", 5, 70));
    }

    @Test
    void beyondCapacity_oldestKeyDropped_itsFutureNeverCompletes() {
        WriteBuffer buffer = new WriteBuffer(2);
        WriteBuffer.Kept a = buffer.keep(id("a", 1));
        WriteBuffer.Kept b = buffer.keep(id("b", 1));
        WriteBuffer.Kept aAgain = buffer.keep(id("a", 2));
        WriteBuffer.Kept c = buffer.keep(id("c", 1));

        assertThat(a.droppedOldest()).isFalse();
        assertThat(b.droppedOldest()).isFalse();
        assertThat(aAgain.droppedOldest()).as("a merge takes no room").isFalse();
        assertThat(c.droppedOldest()).isTrue();
        assertThat(buffer.snapshot()).extracting(s -> s.write().key()).containsExactly("b", "c");
        for (WriteBuffer.Slot slot : buffer.snapshot()) {
            assertThat(buffer.confirmed(slot.write())).isTrue();
        }
        assertThat(a.confirmed()).isNotDone();
        assertThat(b.confirmed()).isDone();
        assertThat(c.confirmed()).isDone();
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void replayConfirmed_afterALaterMerge_keepsTheSlotForTheLaterValue() {
        WriteBuffer buffer = new WriteBuffer(10);
        CompletableFuture<Void> waiting = buffer.keep(id("k", 100)).confirmed();
        DenylistWrite replayed = buffer.snapshot().get(0).write();
        buffer.keep(id("k", 300));

        assertThat(buffer.confirmed(replayed)).isFalse();
        assertThat(waiting).isNotDone();
        DenylistWrite later = buffer.snapshot().get(0).write();
        assertThat(later.endMs()).isEqualTo(300);
        assertThat(buffer.confirmed(later)).isTrue();
        assertThat(waiting).isDone();
    }
}

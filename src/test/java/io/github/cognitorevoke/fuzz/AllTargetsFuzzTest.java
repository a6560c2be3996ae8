package io.github.cognitorevoke.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Every fuzz target behind one {@code @FuzzTest}, for the bounded run inside {@code mvn verify}:
 * Jazzer fuzzes one {@code @FuzzTest} per JVM, and starting a JVM with the agent costs as much as
 * fuzzing a target for a while, so the short run fuzzes all targets in one JVM (the first input
 * byte picks the target). The long runs ({@code -Pfuzz}) fuzz each target's own method instead,
 * and the committed corpora belong to those methods.
 */
class AllTargetsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyTarget_anyInput_holdsItsProperty(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 4)) {
            case 0 -> TokenIdsFuzzTest.assertAgreesWithNimbus(
                    new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8));
            case 1 -> TokenIdsFuzzTest.assertAgreesWithNimbus(FuzzTokens.token(data));
            case 2 -> InitParametersFuzzTest.check(data);
            case 3 -> TokenResolverFuzzTest.check(data);
            default -> TokenIdsAnyMatchFuzzTest.check(data);
        }
    }
}

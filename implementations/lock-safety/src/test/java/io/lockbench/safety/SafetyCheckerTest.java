package io.lockbench.safety;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafetyCheckerTest {

    @Test
    void sequentialSectionsDoNotOverlap() {
        SafetyChecker checker = new SafetyChecker();
        FencedResource resource = FencedResource.fenced();
        for (int token = 1; token <= 3; token++) {
            try (SafetyChecker.Section section = checker.enter("h" + token, token)) {
                assertThat(section.write(resource)).isTrue();
            }
        }
        SafetyChecker.Report report = checker.report(resource);
        assertThat(report.sections()).isEqualTo(3);
        assertThat(report.mutualExclusion()).isTrue();
        assertThat(report.resourceSafe()).isTrue();
        assertThat(report.staleWritesRejected()).isZero();
    }

    @Test
    void overlappingSectionsAreCountedAndStaleWritesJudged() {
        SafetyChecker checker = new SafetyChecker();
        FencedResource unfenced = FencedResource.unfenced();
        SafetyChecker.Section stalled = checker.enter("stalled", 1);
        SafetyChecker.Section next = checker.enter("next", 2);
        next.write(unfenced);
        stalled.write(unfenced);
        next.close();
        stalled.close();
        SafetyChecker.Report report = checker.report(unfenced);
        assertThat(report.overlaps()).isEqualTo(1);
        assertThat(report.mutualExclusion()).isFalse();
        assertThat(report.examples()).singleElement().asString().contains("stalled", "next");
        assertThat(report.staleWritesAccepted()).as("the stalled holder wrote after the next grant").isEqualTo(1);
        assertThat(report.resourceSafe()).isFalse();
    }

    @Test
    void aFencedResourceRejectsTheStaleWrite() {
        SafetyChecker checker = new SafetyChecker();
        FencedResource fenced = FencedResource.fenced();
        SafetyChecker.Section stalled = checker.enter("stalled", 1);
        SafetyChecker.Section next = checker.enter("next", 2);
        assertThat(next.write(fenced)).isTrue();
        assertThat(stalled.write(fenced)).isFalse();
        next.close();
        stalled.close();
        SafetyChecker.Report report = checker.report(fenced);
        assertThat(report.overlaps()).isEqualTo(1);
        assertThat(report.staleWritesAccepted()).isZero();
        assertThat(report.staleWritesRejected()).isEqualTo(1);
        assertThat(report.resourceSafe()).isTrue();
    }

    @Test
    void aWriteBeforeTheNextGrantIsNotStale() {
        SafetyChecker checker = new SafetyChecker();
        FencedResource unfenced = FencedResource.unfenced();
        try (SafetyChecker.Section first = checker.enter("first", 1)) {
            first.write(unfenced);
        }
        try (SafetyChecker.Section second = checker.enter("second", 2)) {
            second.write(unfenced);
        }
        assertThat(checker.report(unfenced).staleWritesAccepted()).isZero();
    }

    @Test
    void closingTwiceRecordsOnce() {
        SafetyChecker checker = new SafetyChecker();
        SafetyChecker.Section section = checker.enter("h", 1);
        section.close();
        section.close();
        assertThat(checker.intervals()).hasSize(1);
    }
}

package io.lockbench.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a suite's tests through the JUnit launcher, so that a test can assert which of them an implementation
 * fails: the proof that the naive locks are caught, and the published findings of a library that breaks
 * the contract. The suite is a concrete subclass nested in the asserting test, so the build does not run it
 * on its own.
 */
public final class SuiteRuns {

    private SuiteRuns() {
    }

    /**
     * What each test of a run came to, by method name.
     *
     * @param passed the tests that passed
     * @param failed the tests that failed, with what they threw
     * @param skipped the tests skipped by an assumption (a capability not declared), with the reason
     */
    public record Outcomes(Set<String> passed, Map<String, Throwable> failed, Map<String, String> skipped) {
    }

    /**
     * @param suite a concrete subclass of one of the testkit's suites
     * @param methods the test methods to run
     * @return the failed (or aborted) ones by method name, sorted, with what they threw
     */
    public static Map<String, Throwable> failedTests(Class<?> suite, List<String> methods) {
        Outcomes outcomes = run(methods.stream().map(method -> (DiscoverySelector) selectMethod(suite, method)).toList());
        Map<String, Throwable> failed = new ConcurrentSkipListMap<>(outcomes.failed());
        outcomes.skipped().forEach((method, reason) -> failed.put(method, new AssertionError("skipped: " + reason)));
        return failed;
    }

    /**
     * Runs every test of the suite.
     *
     * @param suite a concrete subclass of one of the testkit's suites
     * @return each test's outcome
     */
    public static Outcomes runAll(Class<?> suite) {
        return run(List.of(selectClass(suite)));
    }

    private static Outcomes run(List<DiscoverySelector> selectors) {
        Set<String> passed = new ConcurrentSkipListSet<>();
        Map<String, Throwable> failed = new ConcurrentSkipListMap<>();
        Map<String, String> skipped = new ConcurrentSkipListMap<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                if (test.getSource().orElse(null) instanceof MethodSource method) {
                    skipped.put(method.getMethodName(), reason);
                }
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!(test.getSource().orElse(null) instanceof MethodSource method)) {
                    return;
                }
                switch (result.getStatus()) {
                    case SUCCESSFUL -> passed.add(method.getMethodName());
                    case ABORTED -> skipped.put(method.getMethodName(),
                            result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
                    case FAILED -> failed.put(method.getMethodName(),
                            result.getThrowable().orElse(new AssertionError("no cause")));
                }
            }
        });
        return new Outcomes(passed, failed, skipped);
    }
}

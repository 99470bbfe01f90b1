package io.lockbench.naive;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs chosen tests of a suite through the JUnit launcher, to show which of them a naive lock fails. */
final class SuiteRuns {

    private SuiteRuns() {
    }

    /**
     * @param suite a concrete subclass of one of the testkit's suites
     * @param methods the test methods to run
     * @return the failed (or aborted) ones by method name, sorted, with what they threw
     */
    static Map<String, Throwable> failedTests(Class<?> suite, List<String> methods) {
        Map<String, Throwable> failed = new ConcurrentSkipListMap<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(methods.stream().map(method -> selectMethod(suite, method)).toList()).build();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL
                        && test.getSource().orElse(null) instanceof MethodSource method) {
                    failed.put(method.getMethodName(), result.getThrowable().orElse(new AssertionError("no cause")));
                }
            }
        });
        return failed;
    }
}

package io.lockbench.chaos;

/** Rows for the writer and expectation tests. */
final class Rows {

    private Rows() {
    }

    static SafetyRow clean(String impl, String fault) {
        return new SafetyRow(impl, fault, 500, 0, 0, 0, 0, 0, 40, -1, -1, 0, 0, "2 injections", false);
    }

    static SafetyRow orphan(String impl, String fault, long orphanMs) {
        return new SafetyRow(impl, fault, 500, 0, 0, 0, 0, orphanMs, orphanMs, -1, -1, 0, 0, "2 injections", false);
    }

    static SafetyRow hostage(String impl, long hostageMs) {
        return new SafetyRow(impl, "waiter-kill", 500, 0, 0, 0, 0, 0, 40, -1, hostageMs, 0, 0,
                "1 injections", false);
    }

    static SafetyRow stalled(String impl, long overlaps, long staleRejectedFenced, long staleRenewals) {
        return new SafetyRow(impl, "client-pause", 500, overlaps, 2, staleRejectedFenced, 0, 0, 600, -1, -1,
                staleRenewals, 0, "2 injections", false);
    }
}

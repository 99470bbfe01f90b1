package io.lockbench.api;

/**
 * A lease that wraps another and forwards the questions about it (key, tokens, validity) unchanged: the base
 * of decorators that change only what extend, release and close do, such as the watchdog's renewed lease or
 * a test's stalled client.
 */
public abstract class ForwardingLease implements Lease {

    private final Lease delegate;

    /**
     * @param delegate the lease to wrap; not null
     */
    protected ForwardingLease(Lease delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("delegate: must not be null");
        }
        this.delegate = delegate;
    }

    /** @return the wrapped lease */
    protected final Lease delegate() {
        return delegate;
    }

    @Override
    public String key() {
        return delegate.key();
    }

    @Override
    public String ownerToken() {
        return delegate.ownerToken();
    }

    @Override
    public long fencingToken() {
        return delegate.fencingToken();
    }

    @Override
    public long validUntilNanos() {
        return delegate.validUntilNanos();
    }

    @Override
    public boolean isValid() {
        return delegate.isValid();
    }
}

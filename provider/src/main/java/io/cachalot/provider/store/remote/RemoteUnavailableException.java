package io.cachalot.provider.store.remote;

import javax.cache.CacheException;

/**
 * The remote store could not be reached (refused, disconnected, timed out): unlike an error the
 * server answered, this is what {@code cachalot.remote.on-failure=miss} turns into a miss.
 */
public final class RemoteUnavailableException extends CacheException {
    private static final long serialVersionUID = 1L;

    RemoteUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

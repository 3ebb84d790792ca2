package io.cachalot.server.log;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger writing through {@link RedisStyleLog}: TRACE is debug, DEBUG verbose, INFO notice, WARN/ERROR warning. */
final class RedisStyleLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    /**
     * Libraries' loggers (Netty's...) log warnings only: their debug output would flood Redis'
     * verbose and debug levels. {@code -Dcachalot.log.libraries=true} lets it through.
     */
    private static final boolean LIBRARIES = Boolean.getBoolean("cachalot.log.libraries");

    /** The lowest Redis level this logger writes: a library's logger starts at warning. */
    private final int floor;

    RedisStyleLogger(String name) {
        this.name = name;
        this.floor = LIBRARIES || name.startsWith("io.cachalot.") ? RedisStyleLog.DEBUG : RedisStyleLog.WARNING;
    }

    private boolean enabled(int level) {
        return level >= floor && RedisStyleLog.enabled(level);
    }

    private static int redisLevel(Level level) {
        switch (level) {
            case TRACE: return RedisStyleLog.DEBUG;
            case DEBUG: return RedisStyleLog.VERBOSE;
            case INFO: return RedisStyleLog.NOTICE;
            default: return RedisStyleLog.WARNING;
        }
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(RedisStyleLog.DEBUG);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(RedisStyleLog.VERBOSE);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(RedisStyleLog.NOTICE);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(RedisStyleLog.WARNING);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(RedisStyleLog.WARNING);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                               Throwable throwable) {
        int redisLevel = redisLevel(level);
        if (redisLevel < floor) {
            return;
        }
        String msg = MessageFormatter.basicArrayFormat(pattern, args);
        RedisStyleLog.log(redisLevel, msg, throwable);
    }
}

package io.cachalot.server.log;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger writing through {@link RedisStyleLog}: TRACE is debug, DEBUG verbose, INFO notice, WARN/ERROR warning. */
final class RedisStyleLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    RedisStyleLogger(String name) {
        this.name = name;
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
        return RedisStyleLog.enabled(RedisStyleLog.DEBUG);
    }

    @Override
    public boolean isDebugEnabled() {
        return RedisStyleLog.enabled(RedisStyleLog.VERBOSE);
    }

    @Override
    public boolean isInfoEnabled() {
        return RedisStyleLog.enabled(RedisStyleLog.NOTICE);
    }

    @Override
    public boolean isWarnEnabled() {
        return RedisStyleLog.enabled(RedisStyleLog.WARNING);
    }

    @Override
    public boolean isErrorEnabled() {
        return RedisStyleLog.enabled(RedisStyleLog.WARNING);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                               Throwable throwable) {
        String msg = MessageFormatter.basicArrayFormat(pattern, args);
        RedisStyleLog.log(redisLevel(level), msg, throwable);
    }
}

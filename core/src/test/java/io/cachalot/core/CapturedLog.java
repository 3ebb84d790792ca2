package io.cachalot.core;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding of core's tests: keeps warnings and errors in memory so that a test can
 * assert that none was logged (core itself ships no binding).
 */
public final class CapturedLog implements SLF4JServiceProvider {
    private static final List<String> WARNINGS = new ArrayList<>();
    private static final int KEEP = 1000;

    /** Warnings and errors logged so far, as "logger: message (exception)". */
    public static List<String> warnings() {
        synchronized (WARNINGS) {
            return new ArrayList<>(WARNINGS);
        }
    }

    public static void clear() {
        synchronized (WARNINGS) {
            WARNINGS.clear();
        }
    }

    private final ILoggerFactory factory = Logger::new;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private static final class Logger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        Logger(String name) {
            this.name = name;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return false;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                                   Throwable t) {
            String line = name + ": " + MessageFormatter.basicArrayFormat(pattern, args) + (t == null ? "" : " (" + t + ")");
            synchronized (WARNINGS) {
                if (WARNINGS.size() < KEEP) {
                    WARNINGS.add(line);
                }
            }
        }
    }
}

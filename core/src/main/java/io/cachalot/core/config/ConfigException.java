package io.cachalot.core.config;

/** A configuration value was refused; the message is Redis' reason text ("argument must be ..."). */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}

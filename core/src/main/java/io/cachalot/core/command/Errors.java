package io.cachalot.core.command;

/** Redis' error replies, word for word. */
public final class Errors {
    /** Redis' shared.oomerr: a denyoom command while used memory is over maxmemory. */
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String SYNTAX = "ERR syntax error";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String DB_INDEX = "ERR DB index is out of range";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String SAME_OBJECT = "ERR source and destination objects are the same";

    public static final CommandError E_WRONGTYPE = new CommandError(WRONGTYPE);
    public static final CommandError E_NOT_INTEGER = new CommandError(NOT_INTEGER);
    public static final CommandError E_NOT_FLOAT = new CommandError(NOT_FLOAT);
    public static final CommandError E_SYNTAX = new CommandError(SYNTAX);
    public static final CommandError E_NO_SUCH_KEY = new CommandError(NO_SUCH_KEY);
    public static final CommandError E_DB_INDEX = new CommandError(DB_INDEX);
    public static final CommandError E_OVERFLOW = new CommandError(OVERFLOW);

    private Errors() {
    }

    public static String wrongArgs(String fullName) {
        return "ERR wrong number of arguments for '" + fullName + "' command";
    }

    public static String invalidExpire(String command) {
        return "ERR invalid expire time in '" + command + "' command";
    }

    /** "ERR unknown subcommand 'x'. Try CMD HELP." */
    public static String unknownSubcommand(byte[] sub, String command) {
        return "ERR unknown subcommand '" + truncate(io.cachalot.core.util.Bytes.cString(sub), 128) + "'. Try "
                + command.toUpperCase(java.util.Locale.ROOT) + " HELP.";
    }

    /** Redis' addReplySubcommandSyntaxError. */
    public static String subcommandSyntax(byte[] command, byte[] sub) {
        return "ERR unknown subcommand or wrong number of arguments for '"
                + truncate(io.cachalot.core.util.Bytes.cString(sub), 128) + "'. Try "
                + io.cachalot.core.util.Bytes.cString(command).toUpperCase(java.util.Locale.ROOT) + " HELP.";
    }

    static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}

package io.cachalot.core.persist.aof;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a file of commands (an incremental AOF, or a base written without an RDB preamble) as
 * Redis' loadSingleAppendOnlyFile does: {@code #} annotation lines skipped, a command cut short or
 * a MULTI without its EXEC at the end is a truncated file, anything else malformed is a format
 * error.
 */
final class AofReader {
    private static final Logger LOG = LoggerFactory.getLogger(AofReader.class);

    /** Results, as Redis' AOF_* codes. */
    static final int OK = 0;
    static final int EMPTY = 2;
    static final int TRUNCATED = 5;

    /** Longest bulk length a command may declare (a Java array's; Redis' proto-max-bulk-len is far below). */
    private static final long MAX_BULK = Integer.MAX_VALUE - 8;

    private final InputStream in;
    private long offset;

    private AofReader(InputStream in) {
        this.in = in;
    }

    /**
     * Runs the commands of {@code file}. A truncated end is cut off (and TRUNCATED returned) when
     * {@code truncateOk}; otherwise it fails with Redis' message. {@code name} is the file's name
     * as messages print it.
     */
    static int load(Path file, String name, boolean truncateOk, AofReplay replay) throws IOException, AofFormatException {
        long size = Files.size(file);
        if (size == 0) {
            return EMPTY;
        }
        long validUpTo = 0;
        long validBeforeMulti = 0;
        boolean truncated = false;
        try (InputStream raw = Files.newInputStream(file)) {
            AofReader r = new AofReader(new BufferedInputStream(raw, 1 << 16));
            while (true) {
                int c = r.read();
                if (c == -1) {
                    break;
                }
                if (c == '#') {
                    r.line(); // an annotation (timestamps): nothing to run
                    validUpTo = r.offset;
                    continue;
                }
                if (c != '*') {
                    throw badFormat(name);
                }
                byte[][] argv;
                try {
                    long argc = r.number();
                    if (argc < 1 || argc > Integer.MAX_VALUE) {
                        throw badFormat(name);
                    }
                    argv = new byte[(int) argc][];
                    for (int i = 0; i < argc; i++) {
                        if (r.read() != '$') {
                            if (r.eof) {
                                throw new EOFException();
                            }
                            throw badFormat(name);
                        }
                        long len = r.number();
                        if (len < 0 || len > MAX_BULK) {
                            throw badFormat(name);
                        }
                        if (len > size - r.offset) {
                            throw new EOFException(); // more than the file holds: cut short
                        }
                        argv[i] = r.bytes((int) len);
                        if (r.read() != '\r' || r.read() != '\n') {
                            if (r.eof) {
                                throw new EOFException();
                            }
                            throw badFormat(name);
                        }
                    }
                } catch (EOFException e) {
                    truncated = true;
                    break;
                }
                if (io.cachalot.core.util.Bytes.equalsIgnoreCase(argv[0], "multi")) {
                    validBeforeMulti = validUpTo;
                }
                if (!replay.run(argv)) {
                    throw new AofFormatException("Unknown command '" + new String(argv[0], StandardCharsets.ISO_8859_1)
                            + "' reading the append only file " + name);
                }
                validUpTo = r.offset;
            }
        }
        if (!truncated && replay.inMulti()) {
            LOG.warn("Revert incomplete MULTI/EXEC transaction in AOF file {}", name);
            replay.discard();
            validUpTo = validBeforeMulti;
            truncated = true;
        } else if (truncated && replay.inMulti()) {
            replay.discard();
            validUpTo = validBeforeMulti;
        }
        if (!truncated) {
            return OK;
        }
        if (!truncateOk) {
            throw new AofFormatException("Unexpected end of file reading the append only file " + name
                    + ". You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                    + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.");
        }
        LOG.warn("!!! Warning: short read while loading the AOF file {}!!!", name);
        LOG.warn("!!! Truncating the AOF {} at offset {} !!!", name, validUpTo);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(validUpTo);
            ch.force(true);
        } catch (IOException e) {
            LOG.warn("Error truncating the AOF file {}: {}", name, e.getMessage());
            throw new AofFormatException("Error truncating the AOF file " + name + ": " + e.getMessage());
        }
        LOG.warn("AOF {} loaded anyway because aof-load-truncated is enabled", name);
        return TRUNCATED;
    }

    private static AofFormatException badFormat(String name) {
        return new AofFormatException("Bad file format reading the append only file " + name
                + ": make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
    }

    private boolean eof;

    private int read() throws IOException {
        int c = in.read();
        if (c < 0) {
            eof = true;
            return -1;
        }
        offset++;
        return c;
    }

    /** Skips to the end of the line. */
    private void line() throws IOException {
        int c;
        while ((c = read()) != -1 && c != '\n') {
            // skip
        }
    }

    /** Digits up to CRLF; EOF before the line ends is a truncation, anything else not a number a format error. */
    private long number() throws IOException {
        long v = 0;
        boolean neg = false;
        int digits = 0;
        while (true) {
            int c = read();
            if (c == -1) {
                throw new EOFException();
            }
            if (c == '\r') {
                if (read() == -1) {
                    throw new EOFException();
                }
                break;
            }
            if (c == '-' && digits == 0 && !neg) {
                neg = true;
            } else if (c >= '0' && c <= '9' && digits < 19) {
                v = v * 10 + (c - '0');
                digits++;
            } else {
                return -1;
            }
        }
        return digits == 0 ? -1 : neg ? -v : v;
    }

    private byte[] bytes(int len) throws IOException {
        byte[] b = new byte[len];
        int got = 0;
        while (got < len) {
            int n = in.read(b, got, len - got);
            if (n < 0) {
                eof = true;
                throw new EOFException();
            }
            got += n;
        }
        offset += len;
        return b;
    }
}

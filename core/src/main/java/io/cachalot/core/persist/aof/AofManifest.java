package io.cachalot.core.persist.aof;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis 7.0's AOF manifest: which files make up the append-only file, one line each
 * ({@code file <name> seq <n> type <b|h|i>}): the base (an RDB or a command file), incremental
 * files in order, and history files a rewrite replaced (deleted once it is persisted).
 */
public final class AofManifest {
    /** One file of the manifest. */
    public record FileInfo(String name, long seq, char type) {
        String line() {
            return "file " + quote(name) + " seq " + seq + " type " + type + "\n";
        }
    }

    FileInfo base;
    final List<FileInfo> history = new ArrayList<>();
    final List<FileInfo> incrs = new ArrayList<>();
    long baseSeq;
    long incrSeq;

    public FileInfo base() {
        return base;
    }

    public List<FileInfo> incrs() {
        return incrs;
    }

    public List<FileInfo> history() {
        return history;
    }

    AofManifest copy() {
        AofManifest m = new AofManifest();
        m.base = base;
        m.history.addAll(history);
        m.incrs.addAll(incrs);
        m.baseSeq = baseSeq;
        m.incrSeq = incrSeq;
        return m;
    }

    /** A new base file's entry; the current base becomes history (as Redis' getNewBaseFileNameAndMarkPreAsHistory). */
    FileInfo newBase(String prefix, boolean rdb) {
        if (base != null) {
            history.add(new FileInfo(base.name, base.seq, 'h'));
        }
        base = new FileInfo(prefix + "." + (++baseSeq) + ".base" + (rdb ? ".rdb" : ".aof"), baseSeq, 'b');
        return base;
    }

    /** A new incremental file's entry, appended after the others. */
    FileInfo newIncr(String prefix) {
        FileInfo f = new FileInfo(prefix + "." + (++incrSeq) + ".incr.aof", incrSeq, 'i');
        incrs.add(f);
        return f;
    }

    /** The incremental files before {@code keep} become history (a rewrite's base now holds them). */
    void incrsBeforeAreHistory(FileInfo keep) {
        while (!incrs.isEmpty() && incrs.get(0) != keep && !incrs.get(0).equals(keep)) {
            FileInfo f = incrs.remove(0);
            history.add(new FileInfo(f.name, f.seq, 'h'));
        }
    }

    String format() {
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            sb.append(base.line());
        }
        for (FileInfo f : history) {
            sb.append(f.line());
        }
        for (FileInfo f : incrs) {
            sb.append(f.line());
        }
        return sb.toString();
    }

    /** Writes the manifest as {@code name} in {@code dir}: a temporary file, synced, renamed over it. */
    void persist(Path dir, String name) throws IOException {
        Path temp = dir.resolve("temp-" + name);
        byte[] text = format().getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(text);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(dir);
    }

    static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not every file system lets a directory be synced; the rename stands regardless
        }
    }

    /** Reads a manifest; errors say what Redis' loader says of the same fault. */
    static AofManifest load(Path file) throws IOException, AofFormatException {
        AofManifest m = new AofManifest();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> words = split(line);
            if (words == null || words.size() % 2 != 0) {
                throw new AofFormatException("Invalid AOF manifest file format");
            }
            String name = null;
            long seq = 0;
            char type = 0;
            for (int i = 0; i < words.size(); i += 2) {
                String k = words.get(i);
                String v = words.get(i + 1);
                if (k.equalsIgnoreCase("file")) {
                    name = v;
                } else if (k.equalsIgnoreCase("seq")) {
                    try {
                        seq = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        throw new AofFormatException("Invalid AOF manifest file format");
                    }
                } else if (k.equalsIgnoreCase("type")) {
                    type = v.isEmpty() ? 0 : v.charAt(0);
                }
            }
            if (name == null || seq == 0 || (type != 'b' && type != 'h' && type != 'i')) {
                throw new AofFormatException("Invalid AOF manifest file format");
            }
            FileInfo f = new FileInfo(name, seq, type);
            if (type == 'b') {
                if (m.base != null) {
                    throw new AofFormatException("Found duplicate base file information");
                }
                m.base = f;
                m.baseSeq = seq;
            } else if (type == 'h') {
                m.history.add(f);
            } else {
                if (seq <= m.incrSeq) {
                    throw new AofFormatException("Found a non-monotonic sequence number");
                }
                m.incrs.add(f);
                m.incrSeq = seq;
            }
        }
        if (m.base == null && m.incrs.isEmpty()) {
            throw new AofFormatException("Found an empty AOF manifest");
        }
        return m;
    }

    /** Words as Redis' sdssplitargs splits them (double quotes with escapes, single quotes). */
    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder w = new StringBuilder();
            char c = line.charAt(i);
            if (c == '"' || c == '\'') {
                char q = c;
                i++;
                boolean closed = false;
                while (i < n) {
                    c = line.charAt(i++);
                    if (q == '"' && c == '\\' && i < n) {
                        char e = line.charAt(i++);
                        switch (e) {
                            case 'n': w.append('\n'); break;
                            case 'r': w.append('\r'); break;
                            case 't': w.append('\t'); break;
                            case 'x':
                                if (i + 1 < n) {
                                    w.append((char) Integer.parseInt(line.substring(i, i + 2), 16));
                                    i += 2;
                                }
                                break;
                            default: w.append(e);
                        }
                    } else if (c == q) {
                        closed = true;
                        break;
                    } else {
                        w.append(c);
                    }
                }
                if (!closed) {
                    return null;
                }
            } else {
                while (i < n && !Character.isWhitespace(line.charAt(i))) {
                    w.append(line.charAt(i++));
                }
            }
            out.add(w.toString());
        }
        return out;
    }

    /** A name as the manifest writes it: quoted when it holds spaces, quotes or control characters. */
    private static String quote(String name) {
        boolean plain = !name.isEmpty();
        for (int i = 0; i < name.length() && plain; i++) {
            char c = name.charAt(i);
            plain = c > ' ' && c != '"' && c != '\'' && c != '\\' && c < 127;
        }
        if (plain) {
            return name;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < ' ' || c >= 127) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}

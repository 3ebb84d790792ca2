package io.cachalot.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A RESP client that works on raw bytes: sends commands (or arbitrary bytes) and returns each
 * reply exactly as the server wrote it, RESP2 or RESP3, so replies can be compared byte for byte.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;

    public RawClient(String host, int port) throws IOException {
        this(host, port, null);
    }

    /** A connection from a given local address ({@code 127.0.0.2}: a client that is not 127.0.0.1). */
    public RawClient(String host, int port, String localAddress) throws IOException {
        socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Encodes arguments as a multibulk request. */
    public static byte[] encode(List<byte[]> args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(a);
            b.writeBytes(new byte[] {'\r', '\n'});
        }
        return b.toByteArray();
    }

    public void send(String... args) throws IOException {
        java.util.ArrayList<byte[]> l = new java.util.ArrayList<>();
        for (String a : args) {
            l.add(a.getBytes(StandardCharsets.UTF_8));
        }
        sendRaw(encode(l));
    }

    public void send(List<byte[]> args) throws IOException {
        sendRaw(encode(args));
    }

    public void sendRaw(byte[] data) throws IOException {
        out.write(data);
        out.flush();
    }

    /** Sends a command and returns its raw reply. */
    public byte[] call(String... args) throws IOException {
        send(args);
        return readReply();
    }

    /** Sends a command and returns its reply's text ({@link Resp#text}: null for an array or a null). */
    public String callText(String... args) throws IOException {
        return Resp.parse(call(args)).text();
    }

    public byte[] call(List<byte[]> args) throws IOException {
        send(args);
        return readReply();
    }

    private int next() throws IOException {
        if (pos == lim) {
            lim = in.read(buf);
            pos = 0;
            if (lim <= 0) {
                lim = 0;
                throw new EOFException("connection closed");
            }
        }
        return buf[pos++] & 0xFF;
    }

    private String line(ByteArrayOutputStream copy) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = next();
            copy.write(c);
            if (c == '\r') {
                int n = next();
                copy.write(n);
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    /** Reads exactly one complete reply and returns its bytes. */
    public byte[] readReply() throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        readValue(copy);
        return copy.toByteArray();
    }

    private void readValue(ByteArrayOutputStream copy) throws IOException {
        int type = next();
        copy.write(type);
        String l = line(copy);
        switch (type) {
            case '*':
            case '~':
            case '>': {
                int n = Integer.parseInt(l);
                for (int i = 0; i < n; i++) {
                    readValue(copy);
                }
                break;
            }
            case '%': {
                int n = Integer.parseInt(l);
                for (int i = 0; i < 2 * n; i++) {
                    readValue(copy);
                }
                break;
            }
            case '|': {
                int n = Integer.parseInt(l);
                for (int i = 0; i < 2 * n; i++) {
                    readValue(copy);
                }
                readValue(copy); // the value the attributes describe
                break;
            }
            case '$':
            case '=':
            case '!': {
                int n = Integer.parseInt(l);
                if (n >= 0) {
                    for (int i = 0; i < n + 2; i++) {
                        copy.write(next());
                    }
                }
                break;
            }
            default:
                break; // + - : _ , # ( are single lines
        }
    }

    /**
     * Reads one bulk string reply ({@code $n\r\n...\r\n}) and returns its payload, copying large
     * payloads in blocks rather than byte by byte; null for a null bulk. Anything else is an error.
     */
    public byte[] readBulk() throws IOException {
        int type = next();
        String header = line(new ByteArrayOutputStream());
        if (type != '$') {
            throw new IOException("not a bulk reply: " + (char) type + header);
        }
        int n = Integer.parseInt(header);
        if (n < 0) {
            return null;
        }
        byte[] payload = new byte[n];
        int filled = 0;
        while (filled < n) {
            if (pos == lim) {
                lim = in.read(buf);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    throw new EOFException("connection closed after " + filled + " of " + n + " bytes");
                }
            }
            int k = Math.min(lim - pos, n - filled);
            System.arraycopy(buf, pos, payload, filled, k);
            pos += k;
            filled += k;
        }
        if (next() != '\r' || next() != '\n') {
            throw new IOException("bulk of " + n + " bytes not followed by CRLF");
        }
        return payload;
    }

    /** True when nothing arrives within {@code millis} (and the connection is still open). */
    public boolean quietFor(int millis) throws IOException {
        if (pos < lim) {
            return false;
        }
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            lim = in.read(buf);
            pos = 0;
            if (lim < 0) {
                lim = 0;
                throw new EOFException("connection closed");
            }
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /** True when the server has closed the connection (reads end of stream within the timeout). */
    public boolean isClosedByServer(int millis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            while (true) {
                if (pos < lim) {
                    pos = lim;
                }
                int n = in.read(buf);
                if (n < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            socket.setSoTimeout(old);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Printable form of raw bytes for assertion messages. */
    public static String show(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xFF;
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c >= 32 && c < 127) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }
}

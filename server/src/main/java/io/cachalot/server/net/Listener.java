package io.cachalot.server.net;

import io.cachalot.core.Engine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening sockets: one per address of the "bind" setting (Redis syntax: "*" is every IPv4
 * address, "::*" every IPv6 one, a leading "-" marks an address whose failure is tolerated).
 * Re-binding (CONFIG SET port/bind) opens the new sockets before closing the old ones.
 */
public final class Listener {
    private final Engine engine;
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private List<Channel> channels = new ArrayList<>();
    private volatile int port;
    /** The bind setting listened on, as given (trimmed). */
    private volatile String addresses;
    private boolean suspended;

    public Listener(Engine engine, Transport transport, EventLoopGroup boss, EventLoopGroup workers) {
        this.engine = engine;
        this.transport = transport;
        this.boss = boss;
        this.workers = workers;
    }

    public int port() {
        return port;
    }

    /** The addresses listened on, as the bind setting gave them (null before the first bind). */
    public String addresses() {
        return addresses;
    }

    /** Runs {@code r} with port/bind change listeners disabled (to record an OS-assigned port). */
    public synchronized void suspendRebinding(ThrowingRunnable r) throws Exception {
        suspended = true;
        try {
            r.run();
        } finally {
            suspended = false;
        }
    }

    public synchronized boolean rebindingSuspended() {
        return suspended;
    }

    /** A runnable that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    private ServerBootstrap bootstrap() {
        int keepalive = (int) engine.settings().tcpKeepalive.value();
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, (int) engine.settings().tcpBacklog.value())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .handler(new AcceptErrors())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ClientHandler(engine));
                    }
                });
        if (keepalive > 0) {
            b.childOption(ChannelOption.SO_KEEPALIVE, true);
            if (transport.isEpoll()) {
                // As Redis' anetKeepAlive: first probe after the period, then every third of it, 3 probes.
                b.childOption(EpollChannelOption.TCP_KEEPIDLE, keepalive)
                        .childOption(EpollChannelOption.TCP_KEEPINTVL, Math.max(1, keepalive / 3))
                        .childOption(EpollChannelOption.TCP_KEEPCNT, 3);
            }
        }
        return b;
    }

    /** The system's error text (strerror), without the "bind(..) failed with error(-98): " of Netty's epoll. */
    private static String reason(Exception e) {
        String m = e.getMessage();
        if (e instanceof BindException && (m == null || m.startsWith("Address already in use"))) {
            return "Address already in use";
        }
        if (m == null) {
            return e.toString();
        }
        int i = m.indexOf("): ");
        return m.startsWith("bind(") && i > 0 ? m.substring(i + 3) : m;
    }

    /** Listens on {@code bind} addresses at {@code port} (0: one port chosen by the OS for all). */
    public synchronized void bind(String bind, int port) throws IOException {
        List<Channel> opened = new ArrayList<>();
        int actualPort = port;
        String[] addrs = bind.trim().isEmpty() ? new String[] {"*"} : bind.trim().split("\\s+");
        ServerBootstrap b = bootstrap();
        for (String a : addrs) {
            boolean optional = a.startsWith("-");
            String addr = optional ? a.substring(1) : a;
            String host = addr.equals("*") ? "0.0.0.0" : addr.equals("::*") ? "::" : addr;
            try {
                Channel ch = b.bind(new InetSocketAddress(host, actualPort)).syncUninterruptibly().channel();
                opened.add(ch);
                actualPort = ((InetSocketAddress) ch.localAddress()).getPort();
            } catch (Exception e) {
                String reason = reason(e);
                // as Redis: an optional address ("-::1") may be missing on this host, nothing else
                if (optional && !reason.equals("Address already in use")) {
                    continue;
                }
                for (Channel c : opened) {
                    c.close().syncUninterruptibly();
                }
                throw new IOException("Warning: Could not create server TCP listening socket " + addr + ":" + port
                        + ": bind: " + reason, e);
            }
        }
        if (opened.isEmpty()) {
            throw new IOException("Failed listening on port " + port + " (TCP), aborting.");
        }
        List<Channel> old = channels;
        channels = opened;
        this.port = actualPort;
        this.addresses = bind.trim();
        for (Channel c : old) {
            c.close().syncUninterruptibly();
        }
    }

    /** Errors of the listening socket: a fatal one (out of heap) stops the launcher, the rest go on to Netty. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class AcceptErrors extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
            if (io.cachalot.server.log.Fatal.isFatal(cause)) {
                io.cachalot.server.log.Fatal.report("the accepting thread", cause);
            }
            ctx.fireExceptionCaught(cause);
        }
    }

    public synchronized void close() {
        for (Channel c : channels) {
            c.close().syncUninterruptibly();
        }
        channels = new ArrayList<>();
    }
}

package io.cachalot.server.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.util.concurrent.ThreadFactory;

/** The native epoll transport on Linux, NIO elsewhere (or when -Dcachalot.transport=nio). */
public final class Transport {
    private final boolean epoll;

    private Transport(boolean epoll) {
        this.epoll = epoll;
    }

    public static Transport choose() {
        boolean wantNio = "nio".equalsIgnoreCase(System.getProperty("cachalot.transport"));
        return new Transport(!wantNio && Epoll.isAvailable());
    }

    public boolean isEpoll() {
        return epoll;
    }

    /** The name INFO reports as multiplexing_api. */
    public String name() {
        return epoll ? "epoll" : "nio";
    }

    public EventLoopGroup group(int threads, ThreadFactory factory) {
        return epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The file descriptor of a connection, or -1 when the transport does not expose it. */
    public static int fd(Channel ch) {
        if (ch instanceof EpollSocketChannel) {
            return ((EpollSocketChannel) ch).fd().intValue();
        }
        return -1;
    }
}

package dev.gatehouse.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reference points for the load harness, not part of Gatehouse: the cheapest reverse proxies this JVM can run, which
 * check nothing and relay {@code /bench/bench/v1/*} to the backend's {@code /*}. {@code vertx} is Vert.x's HTTP
 * server and pooled client, the gateway's own data path without a single check; {@code netty} is Netty alone (Linux
 * epoll, one event loop, a pool of backend connections per loop, messages relayed as Netty decodes them). Running
 * them beside the gateway and nginx tells what the gateway's checks cost from what the JVM's HTTP stack costs.
 *
 * <p>Usage: {@code ReferenceProxy vertx|netty <port> <backend URL>}
 */
public final class ReferenceProxy {

    private static final String PREFIX = "/bench/bench/v1";

    private ReferenceProxy() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ReferenceProxy vertx|netty <port> <backend URL>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        URI backend = URI.create(args[2]);
        switch (args[0]) {
            case "vertx" -> vertx(port, backend);
            case "netty" -> netty(port, backend);
            default -> throw new IllegalArgumentException("no reference proxy " + args[0]);
        }
        System.out.println("ready");
    }

    private static void vertx(int port, URI backend) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(64));
        vertx.createHttpServer().requestHandler(in -> {
            RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(backend.getHost())
                    .setPort(backend.getPort()).setURI(in.uri().substring(PREFIX.length()));
            client.request(options).compose(out -> out.send()).onComplete(answered -> {
                if (answered.failed()) {
                    in.response().setStatusCode(502).end();
                    return;
                }
                in.response().setStatusCode(answered.result().statusCode());
                in.response().headers().addAll(answered.result().headers());
                answered.result().pipeTo(in.response());
            });
        }).listen(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    private static void netty(int port, URI backend) throws Exception {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        new ServerBootstrap().group(loops).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new Front(backend));
                    }
                })
                .bind("127.0.0.1", port).sync();
    }

    /** Idle backend connections of one event loop. */
    private static final class Pool {
        private static final ThreadLocal<ArrayDeque<Channel>> IDLE = ThreadLocal.withInitial(ArrayDeque::new);

        static Channel take() {
            ArrayDeque<Channel> idle = IDLE.get();
            Channel channel;
            while ((channel = idle.poll()) != null) {
                if (channel.isActive()) {
                    return channel;
                }
            }
            return null;
        }

        static void give(Channel channel) {
            IDLE.get().push(channel);
        }
    }

    /** A caller's connection: each request goes to a backend connection, its messages queued until it is open. */
    private static final class Front extends ChannelInboundHandlerAdapter {
        private final URI backend;
        private Channel toBackend;
        private List<Object> waiting;

        Front(URI backend) {
            this.backend = backend;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof HttpRequest request) {
                request.setUri(request.uri().substring(PREFIX.length()));
                request.headers().set(HttpHeaderNames.HOST, backend.getAuthority());
                toBackend = Pool.take();
                if (toBackend == null) {
                    connect(ctx);
                } else {
                    toBackend.pipeline().get(Back.class).front = ctx.channel();
                }
            }
            if (waiting != null) {
                waiting.add(message);
            } else {
                toBackend.write(message);
                if (message instanceof LastHttpContent) {
                    toBackend.flush();
                }
            }
        }

        private void connect(ChannelHandlerContext ctx) {
            waiting = new ArrayList<>();
            Back back = new Back(ctx.channel());
            new Bootstrap().group((EventLoop) ctx.channel().eventLoop()).channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new HttpClientCodec(), back);
                        }
                    })
                    .connect(backend.getHost(), backend.getPort()).addListener((ChannelFuture done) -> {
                        List<Object> queued = waiting;
                        waiting = null;
                        if (!done.isSuccess()) {
                            queued.forEach(ReferenceCountUtil::release);
                            ctx.close();
                            return;
                        }
                        toBackend = done.channel();
                        queued.forEach(toBackend::write);
                        toBackend.flush();
                    });
        }
    }

    /** A backend connection: relays the answer to the caller it serves, then goes back to the pool. */
    private static final class Back extends ChannelInboundHandlerAdapter {
        Channel front;

        Back(Channel front) {
            this.front = front;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            front.write(message);
            if (message instanceof LastHttpContent) {
                front.flush();
                Pool.give(ctx.channel());
            }
        }
    }
}

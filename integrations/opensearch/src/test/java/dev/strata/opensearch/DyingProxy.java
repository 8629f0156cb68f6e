package dev.strata.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP pass-through to a real node that can die on command: {@link #die()} resets every open
 * connection and stops listening, which is what a client sees when the machine behind a node goes
 * away mid-request. Everything before that is the node's own answer, byte for byte.
 */
final class DyingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final URI target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean dead;

  DyingProxy(URI target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "dying-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  void die() {
    dead = true;
    close();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing a listener we own: nothing to recover
    }
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0); // RST, not FIN: the connection breaks rather than ends
        s.close();
      } catch (IOException ignored) {
        // already broken, which is the point
      }
    }
  }

  private void accept() {
    while (!dead && !listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(target.getHost(), target.getPort());
        sockets.add(client);
        sockets.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException broken) {
        // one side went away; closing both ends below tells the other
      } finally {
        try {
          to.close();
          from.close();
        } catch (IOException ignored) {
          // nothing left to tell
        }
      }
    }, "dying-proxy-pump");
    t.setDaemon(true);
    t.start();
  }
}

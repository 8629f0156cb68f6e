package dev.strata.opensearch;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * One HTTP connection pool to an OpenSearch cluster, through the official Java client. The HTTP
 * library's own automatic retries are off: every retry Strata makes is counted and bounded by a
 * {@link RetryPolicy}, never multiplied by a hidden second loop underneath.
 */
public final class OpenSearchConnection implements AutoCloseable {
  private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(10);
  private static final Timeout RESPONSE_TIMEOUT = Timeout.ofSeconds(120);

  private final URI uri;
  private final ApacheHttpClient5Transport transport;
  private final OpenSearchClient client;

  private OpenSearchConnection(URI uri, ApacheHttpClient5Transport transport) {
    this.uri = uri;
    this.transport = transport;
    this.client = new OpenSearchClient(transport);
  }

  /** Connects to {@code uri} ({@code http://host:9200} or {@code https://...}) without credentials. */
  public static OpenSearchConnection connect(URI uri) {
    return connect(uri, null, null);
  }

  /**
   * Connects with HTTP basic authentication when {@code username} is not null. Credentials are
   * never taken from the URL, where they would end up in logs and error messages.
   */
  public static OpenSearchConnection connect(URI uri, String username, String password) {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("OpenSearch URL must start with http:// or https://, got '" + uri + "'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("OpenSearch URL has no host: '" + uri + "'");
    }
    if (uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "OpenSearch URL must not carry credentials (they would be logged); pass them separately");
    }
    HttpHost host = new HttpHost(scheme, uri.getHost(), uri.getPort() < 0 ? 9200 : uri.getPort());
    ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(host)
        .setMapper(new JacksonJsonpMapper())
        .setRequestConfigCallback(config -> config.setConnectTimeout(CONNECT_TIMEOUT).setResponseTimeout(RESPONSE_TIMEOUT))
        .setHttpClientConfigCallback(http -> {
          http.disableAutomaticRetries();
          if (username != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(
                new AuthScope(host), new UsernamePasswordCredentials(username, password == null ? new char[0] : password.toCharArray()));
            http.setDefaultCredentialsProvider(credentials);
          }
          return http;
        });
    if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
      builder.setPathPrefix(uri.getPath());
    }
    return new OpenSearchConnection(uri, builder.build());
  }

  public URI uri() {
    return uri;
  }

  public OpenSearchClient client() {
    return client;
  }

  @Override
  public void close() {
    try {
      transport.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot close the connection to " + uri + ": " + e, e);
    }
  }

  @Override
  public String toString() {
    return "OpenSearch at " + uri;
  }
}

// DynamoDB Local listening on 127.0.0.1 only (its jar has no host option and Jetty binds every interface by default).
//
// Run in Java's source-file mode by infra/local/dynamodb-local.ts, with the jar and its libraries on the class path and
// the usual DynamoDB Local arguments. The server is built exactly as the jar's own main builds it; before it starts,
// every connector of its Jetty server is bound to the loopback address, so nothing on the network can reach a store
// that accepts any credentials.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    Connector[] connectors = server.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector)) throw new IllegalStateException("unexpected connector " + connector.getClass().getName());
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
    System.out.println("DynamoDB Local listening on 127.0.0.1:" + ((ServerConnector) connectors[0]).getLocalPort());
  }
}

// Drives Apache Kafka 2.4's own Java AdminClient (kafka-clients-2.4.0.jar) against a broker and
// prints one line per call: "<call> => ok | <value> | ERROR <ExceptionClass>: <message>".
// Usage: java -cp <dir>:kafka-clients-2.4.0.jar:slf4j-api.jar AdminCheck <bootstrap> <topic> <brokerId>
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.acl.*;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import java.util.*;
import java.util.concurrent.ExecutionException;

public class AdminCheck {
  interface Call { Object run() throws Exception; }

  static void check(String what, Call call) {
    String result;
    try {
      Object r = call.run();
      result = r == null ? "ok" : r.toString();
    } catch (ExecutionException e) {
      result = "ERROR " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
    } catch (Exception e) {
      result = "ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    System.out.println(what + " => " + result);
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], topic = args[1];
    int brokerId = Integer.parseInt(args[2]);
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("request.timeout.ms", "15000");
    ConfigResource t = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(brokerId));
    ConfigResource cluster = new ConfigResource(ConfigResource.Type.BROKER, "");
    TopicPartition tp = new TopicPartition(topic, 0);
    try (AdminClient a = AdminClient.create(props)) {
      check("createTopics", () -> a.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get());
      check("alterConfigs topic", () -> a.alterConfigs(Map.of(t, new Config(List.of(new ConfigEntry("retention.ms", "3600000"))))).all().get());
      check("alterConfigs unknown name", () -> a.alterConfigs(Map.of(t, new Config(List.of(new ConfigEntry("no.such.config", "1"))))).all().get());
      check("alterConfigs bad value", () -> a.alterConfigs(Map.of(t, new Config(List.of(new ConfigEntry("retention.ms", "soon"))))).all().get());
      check("alterConfigs read-only", () -> a.alterConfigs(Map.of(broker, new Config(List.of(new ConfigEntry("broker.id", "5"))))).all().get());
      check("incrementalAlterConfigs append", () -> a.incrementalAlterConfigs(Map.of(t, List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)))).all().get());
      check("incrementalAlterConfigs subtract", () -> a.incrementalAlterConfigs(Map.of(t, List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SUBTRACT)))).all().get());
      check("incrementalAlterConfigs broker", () -> a.incrementalAlterConfigs(Map.of(broker, List.of(new AlterConfigOp(new ConfigEntry("log.retention.ms", "7200000"), AlterConfigOp.OpType.SET)))).all().get());
      check("incrementalAlterConfigs cluster", () -> a.incrementalAlterConfigs(Map.of(cluster, List.of(new AlterConfigOp(new ConfigEntry("log.retention.bytes", "99999999"), AlterConfigOp.OpType.SET)))).all().get());
      Thread.sleep(1500); // the change notifications reach the broker's config watcher
      check("describe topic retention.ms", () -> a.describeConfigs(List.of(t), new DescribeConfigsOptions().includeSynonyms(true)).all().get().get(t).get("retention.ms"));
      check("describe topic cleanup.policy", () -> a.describeConfigs(List.of(t)).all().get().get(t).get("cleanup.policy").value());
      check("describe topic retention.bytes source", () -> a.describeConfigs(List.of(t)).all().get().get(t).get("retention.bytes").source());
      check("describe broker log.retention.ms", () -> a.describeConfigs(List.of(broker), new DescribeConfigsOptions().includeSynonyms(true)).all().get().get(broker).get("log.retention.ms"));
      check("describe broker broker.id read-only", () -> a.describeConfigs(List.of(broker)).all().get().get(broker).get("broker.id").isReadOnly());
      check("describe cluster", () -> a.describeConfigs(List.of(cluster)).all().get().get(cluster).entries().size());
      Properties pp = new Properties();
      pp.put("bootstrap.servers", bootstrap);
      pp.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
      pp.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
      check("produce 10", () -> {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(pp)) {
          for (int i = 0; i < 10; i++) p.send(new ProducerRecord<>(topic, "v" + i)).get();
        }
        return null;
      });
      check("deleteRecords lowWatermark", () -> a.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(6))).lowWatermarks().get(tp).get().lowWatermark());
      check("deleteRecords beyond high watermark", () -> a.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(100))).all().get());
      Properties cp = new Properties();
      cp.put("bootstrap.servers", bootstrap);
      cp.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
      cp.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
      check("consumer beginningOffsets", () -> {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cp)) {
          return c.beginningOffsets(List.of(tp)).get(tp);
        }
      });
      check("describeLogDirs partitions", () -> a.describeLogDirs(List.of(brokerId)).all().get().get(brokerId).values().iterator().next().replicaInfos.keySet());
      check("alterReplicaLogDirs unknown dir", () -> a.alterReplicaLogDirs(Map.of(new TopicPartitionReplica(topic, 0, brokerId), "/no/such/dir")).all().get());
      check("describeAcls", () -> a.describeAcls(AclBindingFilter.ANY).values().get());
      check("createAcls", () -> a.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW)))).all().get());
      check("createDelegationToken", () -> a.createDelegationToken().delegationToken().get());
      check("listTopics still works", () -> a.listTopics().names().get().contains(topic));
    }
  }
}

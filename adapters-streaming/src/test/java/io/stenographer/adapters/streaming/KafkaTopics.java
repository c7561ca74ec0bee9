package io.stenographer.adapters.streaming;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Test-side Kafka: creates topics with an Admin client and reads a topic back to its end with a consumer. */
final class KafkaTopics {

    private KafkaTopics() {
    }

    static void create(String bootstrapServers, String topic, int partitions) {
        try (Admin admin = Admin.create(adminConfig(bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topic " + topic, e);
        }
    }

    /** The producers the broker tracks on a partition: only idempotent (or transactional) producers are listed. */
    static List<ProducerState> activeProducers(String bootstrapServers, TopicPartition partition) {
        try (Admin admin = Admin.create(adminConfig(bootstrapServers))) {
            return admin.describeProducers(List.of(partition)).partitionResult(partition).get(60, TimeUnit.SECONDS)
                    .activeProducers();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not describe the producers of " + partition, e);
        }
    }

    /**
     * Every record of the topic, partition by partition in offset order, read up to the end offsets the broker
     * reports now (so call it after the sends completed). Polls until then, within {@code timeout}.
     */
    static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic, Duration timeout) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).sorted((a, b) -> a.partition() - b.partition())
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<List<ConsumerRecord<String, String>>> byPartition = new ArrayList<>();
            partitions.forEach(p -> byPartition.add(new ArrayList<>()));
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("topic " + topic + " was not read to its end " + end + " within "
                            + timeout);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    byPartition.get(record.partition()).add(record);
                }
            }
            return byPartition.stream().flatMap(Collection::stream).toList();
        }
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    static String header(ConsumerRecord<String, String> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Properties adminConfig(String bootstrapServers) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }
}

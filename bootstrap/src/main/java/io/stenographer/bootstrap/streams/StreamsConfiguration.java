package io.stenographer.bootstrap.streams;

import io.quarkus.runtime.ShutdownEvent;
import io.stenographer.adapters.persistence.PostgresMerkleLog;
import io.stenographer.adapters.persistence.PostgresSinks;
import io.stenographer.adapters.streaming.ConnectionTimeouts;
import io.stenographer.adapters.streaming.KafkaSender;
import io.stenographer.adapters.streaming.NetworkBlock;
import io.stenographer.adapters.streaming.ResolvingAddressGuard;
import io.stenographer.adapters.streaming.StreamTls;
import io.stenographer.adapters.streaming.StreamTransports;
import io.stenographer.adapters.streaming.SyslogSender;
import io.stenographer.adapters.streaming.TargetAddressGuard;
import io.stenographer.adapters.streaming.WebhookSender;
import io.stenographer.application.port.in.DeliverStreamsUseCase;
import io.stenographer.application.port.in.ManageSinksUseCase;
import io.stenographer.application.port.out.SendStreamRecordsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.ArchivedEventReader;
import io.stenographer.application.service.DeliverStreamsService;
import io.stenographer.application.service.ManageSinksService;
import io.stenographer.application.service.SelfAudit;
import io.stenographer.domain.sink.SinkTransport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Streaming the log to SIEMs (docs/STREAMING.md): sinks, their delivery, and the three transports. */
@ApplicationScoped
public class StreamsConfiguration {

    private KafkaSender kafka;

    @Produces
    @ApplicationScoped
    ManageSinksUseCase manageSinks(PostgresSinks sinks, PostgresMerkleLog log, ArchivedEventReader archived,
            SelfAudit selfAudit, TransactionRunner transactions, Clock clock, RandomGenerator random) {
        return new ManageSinksService(sinks, log, archived, selfAudit, transactions, clock, random);
    }

    @Produces
    @ApplicationScoped
    DeliverStreamsUseCase deliverStreams(PostgresSinks sinks, PostgresMerkleLog log, ArchivedEventReader archived,
            SendStreamRecordsPort transports, SelfAudit selfAudit, TransactionRunner transactions, Clock clock,
            @ConfigProperty(name = "stenographer.streams.lease") Duration lease,
            @ConfigProperty(name = "stenographer.streams.slice") Duration slice,
            @ConfigProperty(name = "stenographer.streams.first-backoff") Duration firstBackoff,
            @ConfigProperty(name = "stenographer.streams.max-backoff") Duration maxBackoff) {
        return new DeliverStreamsService(sinks, log, archived, transports, selfAudit, transactions, clock,
                new DeliverStreamsService.Limits(lease, firstBackoff, maxBackoff, slice));
    }

    /** The SSRF guard every transport connects through; only the configured networks may be internal. */
    @Produces
    @ApplicationScoped
    TargetAddressGuard targetAddressGuard(
            @ConfigProperty(name = "stenographer.streams.allowed-networks") Optional<String> allowed) {
        return ResolvingAddressGuard.system(NetworkBlock.parseList(allowed.orElse("")));
    }

    @Produces
    @ApplicationScoped
    SendStreamRecordsPort transports(TargetAddressGuard guard, Clock clock,
            @ConfigProperty(name = "stenographer.streams.tls.trust-certificates") Optional<String> trust,
            @ConfigProperty(name = "stenographer.streams.connect-timeout") Duration connectTimeout,
            @ConfigProperty(name = "stenographer.streams.read-timeout") Duration readTimeout,
            @ConfigProperty(name = "stenographer.streams.attempt-timeout") Duration attemptTimeout,
            @ConfigProperty(name = "stenographer.streams.kafka.delivery-timeout") Duration kafkaDeliveryTimeout,
            @ConfigProperty(name = "stenographer.streams.lease") Duration lease) {
        List<Path> certificates = Arrays.stream(trust.orElse("").split(",")).map(String::trim)
                .filter(path -> !path.isEmpty()).map(Path::of).toList();
        StreamTls tls = certificates.isEmpty() ? StreamTls.defaults() : StreamTls.withExtraCertificates(certificates);
        ConnectionTimeouts timeouts = new ConnectionTimeouts(connectTimeout, readTimeout, attemptTimeout);
        // The producer waits at most maxBlock for metadata, then deliveryTimeout for acknowledgements.
        Duration requestTimeout = kafkaDeliveryTimeout.dividedBy(2);
        Duration maxBlock = requestTimeout.compareTo(Duration.ofSeconds(5)) < 0 ? requestTimeout : Duration.ofSeconds(5);
        // linger 0: a batch is handed over whole and waited for, so nothing is gained by holding its last records
        // back (the producer still groups what accumulates while a request is in flight)
        KafkaSender.Settings kafkaSettings = new KafkaSender.Settings(requestTimeout, kafkaDeliveryTimeout, maxBlock,
                Duration.ZERO, "none", Duration.ofMinutes(10));
        Duration longestAttempt = kafkaSettings.sendBound().compareTo(attemptTimeout) > 0
                ? kafkaSettings.sendBound() : attemptTimeout;
        if (lease.compareTo(longestAttempt.multipliedBy(2)) < 0) {
            // Otherwise a slow attempt could outlive its lease and another instance send the same range meanwhile.
            throw new IllegalStateException("stenographer.streams.lease (" + lease + ") must be at least twice the "
                    + "longest delivery attempt (" + longestAttempt + ": stenographer.streams.attempt-timeout, or a "
                    + "Kafka send's bound, which is the delivery timeout plus up to 10 s)");
        }
        kafka = new KafkaSender(guard, tls, kafkaSettings);
        Map<SinkTransport, io.stenographer.adapters.streaming.TransportSender> senders =
                new EnumMap<>(SinkTransport.class);
        senders.put(SinkTransport.KAFKA, kafka);
        senders.put(SinkTransport.WEBHOOK, new WebhookSender(guard, tls, timeouts, clock));
        senders.put(SinkTransport.SYSLOG, new SyslogSender(guard, tls, timeouts, clock,
                SyslogSender.localHostName(), SyslogSender.FACILITY_LOG_AUDIT));
        return new StreamTransports(senders);
    }

    void closeProducers(@Observes ShutdownEvent shutdown) {
        if (kafka != null) {
            kafka.close();
        }
    }
}

-- Kafka sinks speak TLS (certificate and host-name checks) unless created plaintext on purpose; new sinks default to
-- TLS in the API. Sinks created before this column existed were plaintext, so the column's default keeps them so.
-- Webhook and syslog sinks always use TLS and keep false here. Like every target column, it is not updatable by the
-- application role (V20 grants UPDATE on progress and state columns only).
ALTER TABLE stream_sink ADD COLUMN kafka_tls boolean NOT NULL DEFAULT false;
ALTER TABLE stream_sink ADD CONSTRAINT stream_sink_kafka_tls_check CHECK (transport = 'kafka' OR NOT kafka_tls);

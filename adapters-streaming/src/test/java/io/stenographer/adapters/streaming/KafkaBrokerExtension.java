package io.stenographer.adapters.streaming;

import io.stenographer.testing.KafkaBrokerProcess;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Kafka broker for the whole test run of this module: started by the first test class that asks for a
 * {@link KafkaBrokerProcess} parameter, closed (killed, data deleted) when the run ends. Tests that kill the broker
 * start their own instead, so that no other class depends on their outcome.
 */
final class KafkaBrokerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            KafkaBrokerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBrokerProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(KafkaBrokerProcess.class,
                key -> KafkaBrokerProcess.start(), KafkaBrokerProcess.class);
    }
}

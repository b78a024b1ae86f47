package dev.gatehouse.store.testing;

import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.Store;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The machinery of {@link StoreTest}: one run of the class per backend. Each run opens its store just before it
 * starts and hands it to the run's extension context, which closes it when the run ends.
 */
final class StoreTestExtension implements ClassTemplateInvocationContextProvider {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StoreTest.class);

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<BackendRun> provideClassTemplateInvocationContexts(ExtensionContext context) {
        return Stream.of(StoreBackend.values()).map(BackendRun::new);
    }

    /** One run of the class; it also resolves the run's parameters (JUnit hands constructors the class's context). */
    private static final class BackendRun implements ClassTemplateInvocationContext, ParameterResolver {

        private final StoreBackend backend;
        private final TestClock clock = new TestClock(TestClock.START);
        private Store store;

        BackendRun(StoreBackend backend) {
            this.backend = backend;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return backend.toString();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        @Override
        public void prepareInvocation(ExtensionContext context) {
            store = backend.open(clock);
            context.getStore(NAMESPACE).put(Store.class, store);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            return type == Store.class || type == TestClock.class || type == StoreBackend.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            return type == Store.class ? store : type == TestClock.class ? clock : backend;
        }
    }
}

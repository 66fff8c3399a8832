package io.dentryguard.api.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real API server for all the tests of a class, started before the class's own
 * {@code @BeforeAll} methods and stopped after them:
 * {@code @RegisterExtension static final RealApiServerPerClass server = new RealApiServerPerClass();}
 * then {@code server.api()}. Skips the class, with the reason, where the binaries are not built.
 */
public final class RealApiServerPerClass implements BeforeAllCallback, AfterAllCallback {
    private RealApiServer api;

    @Override
    public void beforeAll(ExtensionContext context) {
        api = RealApiServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (api != null) {
            api.close();
            api = null;
        }
    }

    public RealApiServer api() {
        if (api == null) {
            throw new IllegalStateException("no API server: used outside the tests of its class");
        }
        return api;
    }
}

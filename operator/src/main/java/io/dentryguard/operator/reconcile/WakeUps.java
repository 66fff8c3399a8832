package io.dentryguard.operator.reconcile;

import io.dentryguard.api.v1alpha1.NodeHealth;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * Reconciles NodeHealths on the operator's own say, for changes no watch shows them: a taint slot
 * freed under the ceiling concerns the nodes held back by it, not the node untainted.
 */
final class WakeUps extends AbstractEventSource<Void, NodeHealth> {
    WakeUps() {
        super(Void.class, "wake-ups");
    }

    void wake(String nodeHealth) {
        if (isRunning()) {
            getEventHandler().handleEvent(new Event(new ResourceID(nodeHealth)));
        }
    }

    @Override
    public Set<Void> getSecondaryResources(NodeHealth primary) {
        return Set.of();
    }
}

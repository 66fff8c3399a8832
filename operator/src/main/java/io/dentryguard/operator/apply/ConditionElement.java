package io.dentryguard.operator.apply;

import io.dentryguard.api.patch.JsonPatch;
import io.dentryguard.operator.decide.NodeDecision;
import java.util.List;

/**
 * The JSON patch operations that put the operator's condition into a list of conditions (a Node's or
 * a NodeHealth's) and touch no other element: others write theirs in the same list (the kubelet
 * every few seconds), and replacing the whole list from an older read would undo that. An existing
 * element is replaced after testing that its index still holds the operator's type; where there is
 * no list yet, the object's resourceVersion is tested instead, so that a list someone else created
 * meanwhile fails the patch rather than being replaced by the operator's one element.
 */
final class ConditionElement {
    private ConditionElement() {}

    /**
     * @param listPath  for example /status/conditions
     * @param typesNow  the types of the list's elements as read, in order
     * @param resourceVersion the object's resourceVersion as read
     */
    static JsonPatch put(JsonPatch patch, String listPath, List<String> typesNow, String resourceVersion, Object ours) {
        int index = typesNow.lastIndexOf(NodeDecision.CONDITION_TYPE);
        if (typesNow.isEmpty()) {
            return patch.test("/metadata/resourceVersion", resourceVersion).add(listPath, List.of(ours));
        }
        if (index < 0) {
            return patch.add(listPath + "/-", ours);
        }
        return patch.test(listPath + "/" + index + "/type", NodeDecision.CONDITION_TYPE).replace(listPath + "/" + index, ours);
    }
}

package io.dentryguard.operator.decide;

/** Kubernetes taint effects, spelled as the API spells them. */
public enum TaintEffect {
    NO_SCHEDULE("NoSchedule"), PREFER_NO_SCHEDULE("PreferNoSchedule"), NO_EXECUTE("NoExecute");

    private final String apiName;

    TaintEffect(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}

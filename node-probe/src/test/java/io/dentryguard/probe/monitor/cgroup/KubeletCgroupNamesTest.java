package io.dentryguard.probe.monitor.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KubeletCgroupNamesTest {

    @ParameterizedTest
    @CsvSource({
        "kubepods-burstable-pod0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice, 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        "kubepods-besteffort-podaa11bb22_cc33_dd44_ee55_ff6677889900.slice, aa11bb22-cc33-dd44-ee55-ff6677889900",
        "kubepods-pod12345678_1234_1234_1234_123456789abc.slice, 12345678-1234-1234-1234-123456789abc",
        "kubelet-kubepods-burstable-pod12345678_1234_1234_1234_123456789abc.slice, 12345678-1234-1234-1234-123456789abc",
        "pod0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b, 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        "pod0F1E2D3C-4B5A-6978-8A9B-0C1D2E3F4A5B, 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
    })
    void podUidsFromBothDrivers(String name, String uid) {
        assertThat(KubeletCgroupNames.podUid(name)).hasValue(uid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubepods-burstable.slice", "podcast", "pod1234", "system.slice", "kubepods-podxyz.slice",
        "cri-containerd-0123456789ab.scope"})
    void notPodDirectories(String name) {
        assertThat(KubeletCgroupNames.podUid(name)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "cri-containerd-4f9c8b1a2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a.scope, 4f9c8b1a2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a",
        "crio-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope, 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "crio-conmon-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope, 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "docker-0123456789ab0123456789ab0123456789ab0123456789ab0123456789ab.scope, 0123456789ab0123456789ab0123456789ab0123456789ab0123456789ab",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    })
    void containerIdsFromEveryRuntime(String name, String id) {
        assertThat(KubeletCgroupNames.containerId(name)).hasValue(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"init.scope", "session-3.scope", "cri-containerd-xyz.scope", "memory.stat"})
    void notContainerDirectories(String name) {
        assertThat(KubeletCgroupNames.containerId(name)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"kubepods-burstable.slice, burstable", "besteffort, besteffort", "burstable, burstable",
        "kubepods-besteffort.slice, besteffort"})
    void qosDirectories(String name, String qos) {
        assertThat(KubeletCgroupNames.qosDirectory(name)).hasValue(qos);
    }
}

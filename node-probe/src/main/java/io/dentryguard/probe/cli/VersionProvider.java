package io.dentryguard.probe.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = DentryGuardCommand.class.getPackage().getImplementationVersion();
        return new String[] {"dentry-guard " + (v == null ? "development build" : v)};
    }
}

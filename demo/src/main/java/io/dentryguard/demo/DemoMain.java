package io.dentryguard.demo;

/** Entry point of {@code ./dentry-guard demo}. */
public final class DemoMain {
    private DemoMain() {}

    public static void main(String[] args) {
        System.exit(0);
    }
}

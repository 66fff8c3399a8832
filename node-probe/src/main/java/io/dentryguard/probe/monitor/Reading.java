package io.dentryguard.probe.monitor;

import java.util.Objects;

/** A monitor's value, or the reason it has none. Exactly one of the two is set. */
public record Reading<T>(T value, String problem) {
    public Reading {
        if ((value == null) == (problem == null)) {
            throw new IllegalArgumentException("a reading has either a value or a problem");
        }
    }

    public static <T> Reading<T> of(T value) {
        return new Reading<>(Objects.requireNonNull(value), null);
    }

    public static <T> Reading<T> missing(String problem) {
        return new Reading<>(null, Objects.requireNonNull(problem));
    }

    public boolean present() {
        return value != null;
    }
}

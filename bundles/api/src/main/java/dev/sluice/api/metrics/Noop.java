package dev.sluice.api.metrics;

/**
 * The metrics service that hands out {@link Timer#NONE} and {@link Counter#NONE}. (It implements only
 * {@link Metrics}: a class implementing the handle interfaces too would take part in their initialization and could
 * leave their constants null.)
 */
final class Noop implements Metrics {

    static final Noop INSTANCE = new Noop();

    private Noop() {
    }

    @Override
    public Timer timer(String name, String help, Buckets buckets, String... labels) {
        return Timer.NONE;
    }

    @Override
    public Counter counter(String name, String help, String... labels) {
        return Counter.NONE;
    }
}

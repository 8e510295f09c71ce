package dev.lanner.benchmarks.soak;

import java.io.IOException;

/**
 * A {@link HostileScenario} made of its name, concurrency, pause, description and attempt.
 *
 * @param name short name in the report
 * @param slots attempts at the same time
 * @param pauseMillis pause between two attempts of one slot
 * @param description what it does and what the server should do
 * @param spreadMillis the slots start spread over this long (about one attempt's duration)
 * @param action one attempt
 */
record Scenario(String name, int slots, long pauseMillis, String description, long spreadMillis, Attempt action)
        implements HostileScenario {

    Scenario(String name, int slots, long pauseMillis, String description, Attempt action) {
        this(name, slots, pauseMillis, description, pauseMillis, action);
    }

    @FunctionalInterface
    interface Attempt {
        SoakCounters.Outcome run() throws IOException, InterruptedException;
    }

    @Override
    public SoakCounters.Outcome attempt() throws IOException, InterruptedException {
        return action.run();
    }
}

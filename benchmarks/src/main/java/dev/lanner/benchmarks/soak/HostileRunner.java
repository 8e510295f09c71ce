package dev.lanner.benchmarks.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link HostileScenario} in its slots on virtual threads until the run's hostile phase ends,
 * counting each attempt's outcome. An exception escaping an attempt is counted as an anomaly by
 * exception type (the scenario did not foresee what the server did).
 */
final class HostileRunner {

    private HostileRunner() {
    }

    static List<Thread> start(HostileScenario scenario, SoakControl control) {
        List<Thread> threads = new ArrayList<>();
        for (int slot = 0; slot < scenario.slots(); slot++) {
            long stagger = scenario.spreadMillis() * slot / scenario.slots();
            threads.add(Thread.ofVirtual().name("hostile-" + scenario.name() + "-" + slot).start(() -> loop(scenario, control, stagger)));
        }
        return threads;
    }

    private static void loop(HostileScenario scenario, SoakControl control, long stagger) {
        try {
            Thread.sleep(stagger);
            while (control.hostileRunning()) {
                SoakCounters.Outcome outcome;
                try {
                    outcome = scenario.attempt();
                } catch (IOException e) {
                    outcome = control.atConnectionLimit()
                            ? SoakCounters.Outcome.expected("refused at the connection limit (" + e.getClass().getSimpleName() + ")")
                            : SoakCounters.Outcome.anomaly(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                if (control.hostileStopped()) {
                    return;
                }
                control.counters().hostile(scenario.name(), outcome);
                Thread.sleep(scenario.pauseMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.lanner.benchmarks.soak;

import java.io.IOException;

/**
 * One kind of hostile client. {@link #attempt} makes one attack and reports what the server did:
 * an expected rejection (a 4xx, a GOAWAY ENHANCE_YOUR_CALM, a closed connection where that is the
 * documented answer) or an anomaly. A {@link HostileRunner} runs {@link #slots()} attempts at once,
 * pausing {@link #pauseMillis()} between attempts in each slot.
 */
interface HostileScenario {

    String name();

    /** How many attempts run at the same time. */
    int slots();

    /** Pause between two attempts of one slot. */
    long pauseMillis();

    /** The slots start spread over this long, so that long attempts (slowloris) do not end all at once. */
    long spreadMillis();

    /** What the scenario does and what it expects, one line for the report. */
    String description();

    SoakCounters.Outcome attempt() throws IOException, InterruptedException;
}

package dev.lanner.samples.minimalserver;

import dev.lanner.testkit.CoreServerContractTests;
import dev.lanner.testkit.ServerFixture;

/** The guide's example server passes the kit's core suite (docs/servers.md). */
class MinimalServerContractTest extends CoreServerContractTests {

    @Override
    protected ServerFixture fixture() {
        return () -> new MinimalServer();   // the kit sets http://127.0.0.1:0 and reads the bound port back
    }
}

package dev.lanner.module.internal.outofprocess;

import dev.lanner.module.internal.ModuleError;

/** Why no process could serve a request: the error page's kind and the details (shown in Development). */
final class StartFailure extends Exception {

    private final ModuleError error;

    StartFailure(ModuleError error, String detail) {
        super(detail);
        this.error = error;
    }

    ModuleError error() {
        return error;
    }
}

package dev.sluice.shell;

/** What every command says while a service it needs is stopped or being updated. */
final class Unavailable {

    private Unavailable() {
    }

    static <T> T require(T service, String what, String bundle) {
        if (service == null) {
            throw new IllegalStateException(what + " not available: the " + bundle + " bundle is stopped or being updated");
        }
        return service;
    }
}

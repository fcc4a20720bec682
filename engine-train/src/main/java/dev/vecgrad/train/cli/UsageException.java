package dev.vecgrad.train.cli;

/** A command line that cannot be run as given: the message is printed as one line, with the usage hint. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}

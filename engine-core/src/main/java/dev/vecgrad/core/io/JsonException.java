package dev.vecgrad.core.io;

/**
 * JSON text that {@link Json#parse} rejects, with the character offset where the problem was
 * found. An {@link IllegalArgumentException}: the text is the caller's argument. Readers of files
 * that embed JSON (safetensors) turn it into a {@link TensorFileException} naming the file.
 */
public class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final String problem;

    /** A problem {@code problem} found at character {@code offset} of the text. */
    public JsonException(int offset, String problem) {
        super("invalid JSON at character " + offset + ": " + problem);
        this.offset = offset;
        this.problem = problem;
    }

    /** The character offset (0-based, in UTF-16 chars of the text) where the problem was found. */
    public int offset() {
        return offset;
    }

    /** What is wrong, without the offset. */
    public String problem() {
        return problem;
    }
}

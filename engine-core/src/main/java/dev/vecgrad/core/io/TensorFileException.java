package dev.vecgrad.core.io;

import java.io.IOException;

/**
 * A tensor file ({@code .npy}, safetensors, IDX) whose content is invalid: truncated, lying about
 * its lengths, using a dtype or layout that is not supported, or otherwise not what the format
 * says. The message names the file (or {@code <bytes>} for in-memory input), the tensor when there
 * is one, the byte offset when it is known, and the problem; text from the file in it is escaped
 * and cut ({@link Messages}), so a message is one line of bounded length.
 *
 * <p>It extends {@link IOException} because every reader already throws {@code IOException} for
 * failures of the file system: a caller who only wants "could not load" catches one checked type,
 * while a caller who wants to tell a broken file from a broken disk catches this one first.
 *
 * <pre>{@code
 * try (SafeTensorsFile f = SafeTensors.read(path)) {
 *     kernel = f.get("dense/kernel");
 * } catch (TensorFileException e) {
 *     System.err.println("bad weights file " + e.source() + ": " + e.problem());
 * }
 * }</pre>
 */
public class TensorFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String tensor;
    private final long offset;
    private final String problem;

    /**
     * A problem with the file {@code source}.
     *
     * @param source  the file name, or {@code <bytes>} for in-memory input
     * @param tensor  the tensor concerned, or null when the problem is not about one tensor
     * @param offset  the byte offset in the file where the problem is, or -1 when there is none
     * @param problem what is wrong, as a sentence fragment
     */
    public TensorFileException(String source, String tensor, long offset, String problem) {
        this(source, tensor, offset, problem, null);
    }

    /** As {@link #TensorFileException(String, String, long, String)}, with the exception that revealed it. */
    public TensorFileException(String source, String tensor, long offset, String problem, Throwable cause) {
        super(describe(source, tensor, offset, problem), cause);
        this.source = source;
        this.tensor = tensor;
        this.offset = offset;
        this.problem = problem;
    }

    /** The message; the source and the tensor name, which may come from a file, are escaped and cut ({@link Messages}). */
    private static String describe(String source, String tensor, long offset, String problem) {
        StringBuilder sb = new StringBuilder(Messages.line(source));
        if (tensor != null) {
            sb.append(", tensor '").append(Messages.quote(tensor)).append('\'');
        }
        if (offset >= 0) {
            sb.append(", at byte ").append(offset);
        }
        return sb.append(": ").append(Messages.line(problem)).toString();
    }

    /** The file name, or {@code <bytes>} for in-memory input. */
    public String source() {
        return source;
    }

    /** The tensor concerned, or null. */
    public String tensor() {
        return tensor;
    }

    /** The byte offset of the problem in the file, or -1 when there is none. */
    public long offset() {
        return offset;
    }

    /** What is wrong, without the file, tensor and offset. */
    public String problem() {
        return problem;
    }
}

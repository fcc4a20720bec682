package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Makers of the hostile files the model-directory tests put in place of a save's files. */
public final class HostileFiles {
    private HostileFiles() {
    }

    /** Writes a safetensors file with {@code header} whose byte buffer is {@code bufferBytes} long but mostly a hole. */
    public static void writeSparseSafetensors(Path file, String header, long bufferBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Files.deleteIfExists(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            f.write(h);
            f.setLength(8 + h.length + bufferBytes);
        }
    }

    /** Replaces {@code p} by a FIFO (named pipe). */
    public static void mkfifo(Path p) throws IOException, InterruptedException {
        Files.deleteIfExists(p);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
    }
}

package dev.sluice.queue.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.stream.Collectors;

/** The destinations an operator held, one per line in one file of the spool. */
final class HeldDestinationsFile {

    private final Path target;
    private final FileSync sync;

    HeldDestinationsFile(Path target, FileSync sync) {
        this.target = target;
        this.sync = sync;
    }

    synchronized Set<String> read() throws IOException {
        try {
            return Set.copyOf(Files.readAllLines(target, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(l -> !l.isEmpty()).toList());
        } catch (NoSuchFileException e) {
            return Set.of();
        }
    }

    /** Written aside, fsynced, renamed over the old list and the directory fsynced: old list or new, never half. */
    synchronized void store(Set<String> destinations) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + SpoolLayout.TEMP_SUFFIX);
        byte[] text = destinations.stream().sorted().map(d -> d + "\n").collect(Collectors.joining())
                .getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(text);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            sync.force(ch);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync.forceDirectory(target.getParent());
    }
}

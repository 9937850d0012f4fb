package dev.sluice.queue.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The fsyncs, behind an interface so that tests can count them and make them fail. */
interface FileSync {

    void force(FileChannel channel) throws IOException;

    void forceDirectory(Path directory) throws IOException;

    FileSync REAL = new FileSync() {
        @Override
        public void force(FileChannel channel) throws IOException {
            channel.force(true);
        }

        @Override
        public void forceDirectory(Path directory) throws IOException {
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
        }
    };
}

package org.statespace.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The lines of a byte range of a file, each with the byte offset it starts at ({@link #lineStart()}), so that a
 * reader can note where a sequence begins and read it again later from there ({@link SequenceIndex}). Only
 * {@link #readLine()}, {@link #mark}, {@link #reset} and {@link #close} are used by the readers and work here (a
 * line ends at {@code \n}, {@code \r\n} or a lone {@code \r}, as {@link BufferedReader#readLine()} has it; bytes
 * that are not UTF-8 are a {@link java.nio.charset.MalformedInputException}). Reads the channel at explicit
 * positions, so several readers may share one channel from different threads; one reader is not thread-safe.
 */
final class LineReader extends BufferedReader {
    private final FileChannel channel;
    private final boolean ownsChannel;
    private final long end;
    private final ByteBuffer buffer;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    private long position;      // the file offset of the next byte to read
    private long lineStart = -1;
    private long mark = -1;
    private byte[] line = new byte[256];

    /**
     * Lines of {@code channel} from byte {@code from} to byte {@code to} (exclusive).
     *
     * @param ownsChannel whether {@link #close()} closes the channel
     */
    LineReader(FileChannel channel, long from, long to, boolean ownsChannel) {
        super(Reader.nullReader(), 1);
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.position = from;
        this.end = to;
        this.buffer = ByteBuffer.allocate((int) Math.max(1, Math.min(1 << 15, to - from)));
        buffer.limit(0);
    }

    /** The byte offset at which the line {@link #readLine()} returned last starts (-1 before the first). */
    long lineStart() {
        return lineStart;
    }

    /** The byte offset of the next line. */
    long position() {
        return position;
    }

    private boolean fill() throws IOException {
        if (position >= end) {
            return false;
        }
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), end - position));
        int n = 0;
        while (n == 0) {
            n = channel.read(buffer, position);
            if (n < 0) {
                buffer.limit(0);
                return false;
            }
        }
        buffer.flip();
        return true;
    }

    @Override
    public String readLine() throws IOException {
        if (position >= end) {
            return null;
        }
        lineStart = position;
        int n = 0;
        while (true) {
            if (!buffer.hasRemaining() && !fill()) {
                break;
            }
            byte b = buffer.get();
            position++;
            if (b == '\n') {
                break;
            }
            if (b == '\r') {
                if ((buffer.hasRemaining() || fill()) && buffer.get(buffer.position()) == '\n') {
                    buffer.get();
                    position++;
                }
                break;
            }
            if (n == line.length) {
                line = java.util.Arrays.copyOf(line, 2 * n);
            }
            line[n++] = b;
        }
        CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, 0, n));
        return chars.toString();
    }

    @Override
    public void mark(int readAheadLimit) {
        mark = position;
    }

    @Override
    public void reset() throws IOException {
        if (mark < 0) {
            throw new IOException("reset without mark");
        }
        position = mark;
        buffer.limit(0);
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public int read() {
        throw new UnsupportedOperationException("LineReader reads lines only");
    }

    @Override
    public int read(char[] cbuf, int off, int len) {
        throw new UnsupportedOperationException("LineReader reads lines only");
    }

    @Override
    public void close() throws IOException {
        if (ownsChannel) {
            channel.close();
        }
    }
}

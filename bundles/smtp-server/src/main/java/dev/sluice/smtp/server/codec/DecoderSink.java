package dev.sluice.smtp.server.codec;

/** Receives what {@link SmtpDecoder} recognises; called on the thread that feeds the decoder. */
public interface DecoderSink {

    /** A complete command line without its CRLF. */
    void onLine(String line);

    /** A command line that cannot be used; {@code why} is the reply text for 500 5.5.2. */
    void onBadLine(String why);

    /** Message bytes (un-dot-stuffed for DATA); the array is reused after the call returns. */
    void onData(byte[] bytes, int offset, int length);

    /** The CRLF.CRLF of DATA; {@code error} is null when the body was well formed. */
    void onDataEnd(DataError error);

    /** The last byte of a BDAT chunk has been delivered. */
    void onChunkEnd();
}

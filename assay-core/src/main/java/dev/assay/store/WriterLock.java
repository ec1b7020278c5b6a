package dev.assay.store;

/** A held exclusive-writer lock on one run ({@link StoredRun#lock}); closing releases it. */
public interface WriterLock extends AutoCloseable {
    @Override
    void close();
}

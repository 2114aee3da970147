/**
 * File output that is whole or absent ({@link org.statespace.io.AtomicFiles}), and the temporary spill file of a
 * sequence streamed in constant memory ({@link org.statespace.io.SpillFile}).
 */
package org.statespace.io;

/** File output that is whole or absent: {@link org.statespace.io.AtomicFiles}. */
package org.statespace.io;

/**
 * Sequences and datasets: observations that are symbols, scalars or vectors, any of them missing; optional
 * exogenous inputs; optional known hidden states; sequences of different lengths. Readers and writers
 * for the dataset JSON ({@link org.statespace.data.DatasetJson}) and CSV ({@link org.statespace.data.DatasetCsv}).
 */
package org.statespace.data;

/**
 * JSON specs: the registry of model types ({@link org.statespace.spec.ModelSpecs}, filled through
 * {@link java.util.ServiceLoader} with {@link org.statespace.spec.ModelType}s), the path-aware reader
 * every family uses ({@link org.statespace.spec.SpecNode}), and the shared JSON configuration.
 */
package org.statespace.spec;

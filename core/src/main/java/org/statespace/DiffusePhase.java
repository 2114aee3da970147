package org.statespace;

/**
 * A capability of a filter state h_t whose model can start from an exact diffuse initialisation (a prior
 * of infinite variance on some state elements, Durbin &amp; Koopman 2012, section 5.2): whether the
 * prediction p(o_t | past) made from it still carries a diffuse part, that is whether step t lies in the
 * filter's diffuse period. Such a step's predictive variance is infinite in the limit (reported as a very
 * large finite one), so no model can be scored on it fairly: a study leaves it out of every score.
 *
 * <p>States of models without a diffuse start do not implement it; callers read it with
 * {@code state instanceof DiffusePhase d && d.inDiffusePhase()}.
 */
public interface DiffusePhase {

    /** Whether the current prediction belongs to the diffuse period of an exact diffuse start. */
    boolean inDiffusePhase();
}

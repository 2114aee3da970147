package org.statespace.numeric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

import org.statespace.NumericalException;

/** The small Cholesky kernels against EJML's determinant and solver. */
class CholeskyTest {
    private static final double[] A = {4, 2, 0.6, 2, 5, 1.5, 0.6, 1.5, 3};

    @Test
    void factorReproducesTheMatrixAndItsDeterminant() {
        double[] l = new double[9];
        Cholesky.factor(A, 3, l);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += l[i * 3 + k] * l[j * 3 + k];
                }
                assertThat(s).isCloseTo(A[i * 3 + j], within(1e-14));
            }
        }
        double det = CommonOps_DDRM.det(new DMatrixRMaj(3, 3, true, A));
        assertThat(Cholesky.logDeterminant(l, 3)).isCloseTo(Math.log(det), within(1e-13));
    }

    @Test
    void writtenOutTwoByTwoFactorHasTheBitsOfTheLoop() {
        // the leading 2x2 block of a 3x3 factor is made by the loop with the same operations
        double[] l3 = new double[9];
        Cholesky.factor(A, 3, l3);
        double[] l2 = new double[4];
        Cholesky.factor(new double[] {A[0], A[1], A[3], A[4]}, 2, l2);
        assertThat(l2).containsExactly(l3[0], l3[1], l3[3], l3[4]);
        double[] inPlace = {A[0], A[1], A[3], A[4]};
        Cholesky.factor(inPlace, 2, inPlace);
        assertThat(inPlace).containsExactly(l2);
        assertThatThrownBy(() -> Cholesky.factor(new double[] {1, 1, 1, 1}, 2, new double[4]))
                .isInstanceOf(NumericalException.class).hasMessageContaining("pivot 1");
        assertThatThrownBy(() -> Cholesky.factor(new double[] {0, 0, 0, 1}, 2, new double[4]))
                .isInstanceOf(NumericalException.class).hasMessageContaining("pivot 0");
    }

    @Test
    void solvesAgainstEjml() {
        double[] l = new double[9];
        Cholesky.factor(A, 3, l);
        double[] b = {1, -2, 0.5};
        double[] x = b.clone();
        Cholesky.solveLower(l, 3, x);
        Cholesky.solveUpperTransposed(l, 3, x);
        DMatrixRMaj expected = new DMatrixRMaj(3, 1);
        CommonOps_DDRM.solve(new DMatrixRMaj(3, 3, true, A), new DMatrixRMaj(3, 1, true, b), expected);
        for (int i = 0; i < 3; i++) {
            assertThat(x[i]).isCloseTo(expected.get(i), within(1e-14));
        }
    }

    @Test
    void rejectsIndefiniteMatrices() {
        double[] indefinite = {1, 2, 2, 1};
        assertThatThrownBy(() -> Cholesky.factor(indefinite, 2, new double[4]))
                .isInstanceOf(NumericalException.class).hasMessageContaining("not positive definite");
        assertThat(Cholesky.isPositiveDefinite(indefinite, 2, new double[4])).isFalse();
        assertThat(Cholesky.isPositiveDefinite(A, 3, new double[9])).isTrue();
    }
}

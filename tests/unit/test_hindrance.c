/*
 * test_hindrance: PHYSICS.md V15.  The hindrance functions of the shared
 * physics against the table of section 2.1 (to 1e-4): Bevan-Prieve
 * f_perp, Faxen f_par; Brenner's exact series (evaluated here in double)
 * against the table, and Bevan-Prieve within 1% of it; and the slope
 * f_perp' against a central difference.
 */
#include <math.h>

#include "exo_test.h"
#include "shared/exo_physics.h"

/* Brenner (1961): 1/f_perp = (4/3) sinh(al) sum_n n(n+1)/((2n-1)(2n+3)) *
 * [(2 sinh((2n+1) al) + (2n+1) sinh(2 al)) /
 *  (4 sinh^2((n+1/2) al) - (2n+1)^2 sinh^2(al)) - 1],  al = acosh(z/a). */
static double brenner(double z_over_a)
{
    double al = acosh(z_over_a), sum = 0;
    for (int n = 1; n < 100000; n++) {
        double m = 2.0 * n + 1;
        if (m * al > 700) /* the bracket is 0 to double precision */
            break;
        double num = 2 * sinh(m * al) + m * sinh(2 * al);
        double den = 4 * pow(sinh((n + 0.5) * al), 2) - m * m * pow(sinh(al), 2);
        double term = n * (n + 1.0) / ((2.0 * n - 1) * (2.0 * n + 3)) * (num / den - 1);
        sum += term;
        if (fabs(term) < 1e-16 * fabs(sum))
            break;
    }
    return 1.0 / (4.0 / 3.0 * sinh(al) * sum);
}

int main(void)
{
    /* z/a, Brenner, Bevan-Prieve, Faxen (PHYSICS.md section 2.1, [C]). */
    static const double table[9][4] = {
        {1.01, 0.0098, 0.0099, 0.3360}, {1.05, 0.0463, 0.0467, 0.3787},
        {1.10, 0.0873, 0.0878, 0.4237}, {1.20, 0.1577, 0.1584, 0.4937},
        {1.50, 0.3120, 0.3125, 0.6191}, {2.00, 0.4705, 0.4706, 0.7214},
        {3.00, 0.6373, 0.6364, 0.8147}, {5.00, 0.7782, 0.7761, 0.8882},
        {10.0, 0.8879, 0.8858, 0.9439}};
    const float a = 0.05f; /* um; the functions take the gap h = z - a */
    for (int k = 0; k < 9; k++) {
        double z = table[k][0];
        float h = (float)((z - 1.0) * a);
        char what[96];
        snprintf(what, sizeof what, "V15 Bevan-Prieve f_perp at z/a = %g", z);
        EXO_TEST_NEAR(exo_hindrance_perp(h, a), table[k][2], 1e-4, what);
        snprintf(what, sizeof what, "V15 Brenner f_perp at z/a = %g", z);
        EXO_TEST_NEAR(brenner(z), table[k][1], 1e-4, what);
        snprintf(what, sizeof what, "V15 Bevan-Prieve within 1%% of Brenner, z/a = %g", z);
        EXO_TEST_NEAR(exo_hindrance_perp(h, a) / brenner(z), 1.0, 0.01, what);
        /* Faxen is clamped below h = 0.1 a; the table's z/a = 1.01, 1.05
         * rows are the unclamped series. */
        if (z >= 1.1) {
            snprintf(what, sizeof what, "V15 Faxen f_par at z/a = %g", z);
            EXO_TEST_NEAR(exo_hindrance_par(h, a), table[k][3], 1e-4, what);
        }
        float e = 1e-3f * a;
        double slope = (exo_hindrance_perp(h + e, a) - exo_hindrance_perp(h - e > 0 ? h - e : 0, a)) /
                       ((h + e) - (h - e > 0 ? h - e : 0));
        snprintf(what, sizeof what, "f_perp' against a central difference, z/a = %g", z);
        EXO_TEST_NEAR(exo_hindrance_perp_slope(h, a) * a, slope * a, 2e-3, what);
    }
    EXO_TEST_NEAR(exo_hindrance_par(0.0f, a), exo_hindrance_par(0.1f * a, a), 0,
                  "f_par clamped at h = 0.1 a");
    return exo_test_finish("test_hindrance");
}

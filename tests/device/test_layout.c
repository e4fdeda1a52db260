/*
 * test_layout: the device sees the shared structs (kernels/shared/
 * exo_types.h) exactly as the host lays them out, so by-value kernel
 * arguments arrive intact.
 */
#include <stddef.h>

#include "exo_cl.h"
#include "exo_test.h"
#include "shared/exo_types.h"

int main(void)
{
    exo_cl_options opt = {0};
    exo_error err = {0};
    uint32_t out[10] = {0};
    exo_cl_probe_arg args[1] = {{NULL, sizeof out, out, NULL}};
    if (exo_cl_probe(&opt, "k_layout_probe", 1, args, 1, &err) != EXO_OK) {
        if (strstr(err.msg, "no OpenCL platform"))
            return EXO_TEST_SKIP;
        fprintf(stderr, "probe failed: %s\n", err.msg);
        return 1;
    }
    const uint32_t host[10] = {
        sizeof(exo_step_params), offsetof(exo_step_params, sigma_coef),
        offsetof(exo_step_params, seed_lo), offsetof(exo_step_params, face),
        sizeof(exo_init_params), offsetof(exo_init_params, cdf_hi),
        offsetof(exo_init_params, first), offsetof(exo_init_params, seed_hi),
        sizeof(exo_slot_table), offsetof(exo_slot_table, uptake_min)};
    const char *what[10] = {"sizeof(exo_step_params)", "offsetof sigma_coef",
                           "offsetof seed_lo", "offsetof face",
                           "sizeof(exo_init_params)", "offsetof cdf_hi",
                           "offsetof first", "offsetof seed_hi",
                           "sizeof(exo_slot_table)", "offsetof uptake_min"};
    for (int i = 0; i < 10; i++)
        EXO_TEST_EQ_INT(out[i], host[i], what[i]);
    return exo_test_finish("test_layout");
}

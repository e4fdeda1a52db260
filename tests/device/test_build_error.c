/*
 * test_build_error: a kernel that fails to compile is reported with the
 * OpenCL error's symbolic name, what was being built, and the compiler's
 * build log pointing at the offending line.  The broken source is loaded
 * through EXO_KERNEL_DIR, the development override of the embedded kernels.
 */
#include <stdlib.h>
#include <unistd.h>

#include "exo_test_sim.h"

int main(void)
{
    char dir[128];
    if (exo_test_temp_dir("exobd_test_build", dir, sizeof dir) != 0)
        return 1;
    char path[256];
    snprintf(path, sizeof path, "%s/exo_kernels.cl", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return 1;
    fputs("__kernel void k_advance(__global float *x)\n{\n"
          "    x[0] = undeclared_identifier_here;\n}\n", f);
    fclose(f);
    setenv("EXO_KERNEL_DIR", dir, 1);

    exo_scenario *sc = exo_test_scenario(
        "simulation = { dt = \"1 us\"; steps = 1; };\n"
        "vesicles = ( { count = 10; radius = \"50 nm\"; } );\n"
        "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [1.0, 1.0, 1.0]; }; };\n"
        "output = { file = \"\"; };\n");
    exo_error err = {0};
    exo_sim *sim = NULL;
    exo_run_options opt;
    memset(&opt, 0, sizeof opt);
    opt.output_path = "";
    exo_status rc = exo_sim_create(&sim, sc, &opt, &err);
    if (rc != EXO_OK && strstr(err.msg, "no OpenCL platform"))
        return EXO_TEST_SKIP;
    printf("message:\n%s\n", err.msg);
    EXO_TEST_EQ_INT(rc, EXO_ERR_OPENCL, "status of a failed build");
    EXO_TEST_TRUE(sim == NULL, "no simulation on failure");
    EXO_TEST_CONTAINS(err.msg, "CL_BUILD_PROGRAM_FAILURE");
    EXO_TEST_CONTAINS(err.msg, "building the exobd kernels");
    EXO_TEST_CONTAINS(err.msg, "build log");
    EXO_TEST_CONTAINS(err.msg, "undeclared_identifier_here");
    EXO_TEST_EQ_INT(exo_status_exit_code(err.status), 1, "exit status of a build failure");
    remove(path);
    rmdir(dir);
    exo_scenario_destroy(sc);
    return exo_test_finish("test_build_error");
}

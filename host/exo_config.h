/*
 * exo_config: reading a libconfig scenario into an exo_scenario.
 *
 * The only module that includes libconfig.h.  It applies --set overrides to
 * the parsed tree, reads every setting with its expected type and
 * dimension (through exo_units), rejects unknown keys, checks ranges and
 * geometry, and fills the validated struct.  Every message names the file,
 * the line, the setting path and what was expected; overridden settings
 * are reported as "--set PATH=VALUE" instead of a line.  The public entry
 * points are exo_scenario_load() and exo_scenario_load_text() (exobd.h).
 */
#ifndef EXO_CONFIG_H
#define EXO_CONFIG_H

#include "exo_scenario.h"

#endif /* EXO_CONFIG_H */

/* SPDX-License-Identifier: MIT */
/*
 * Included first in every kernel translation unit (see KBUILD_CPPFLAGS).
 * IS_ENABLED(CONFIG_X) is 1 when the bool option is set and 0 otherwise, so
 * that code can say `if (IS_ENABLED(CONFIG_X))` and keep both branches
 * compiled and type-checked in every configuration.
 */
#ifndef _KERN_KCONFIG_H
#define _KERN_KCONFIG_H

#include <generated/autoconf.h>

/*
 * autoconf.h defines a set option as 1 and leaves an unset one undefined.
 * Pasting the value onto a probe name turns "1" into a macro that expands to
 * "junk," and shifts the second argument into place; anything else leaves
 * the default 0 in that position.
 */
#define __kconfig_probe_1			__kconfig_junk,
#define __kconfig_second(ignored, val, ...)	val
#define __kconfig_pick(arg_or_junk)		__kconfig_second(arg_or_junk 1, 0, 0)
#define __kconfig_enabled(val)			__kconfig_pick(__kconfig_probe_##val)
#define IS_ENABLED(option)			__kconfig_enabled(option)

#endif /* _KERN_KCONFIG_H */

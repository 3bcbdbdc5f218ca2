# SPDX-License-Identifier: MIT
VERSION = 0
PATCHLEVEL = 1
SUBLEVEL = 0
EXTRAVERSION = -rc1
NAME = Foundation

# MachLine top-level Makefile, in the manner of Linux Kbuild.
#
#   make <board>_defconfig      configure (make help lists the boards)
#   make menuconfig             change the configuration
#   make [-j N] [V=1] [C=1] [W=1] [O=dir]
#   make run | debug | test | check
#
# The board chosen in .config decides ARCH and the default CROSS_COMPILE; both
# may still be given on the command line, as in Linux.

MAKEFLAGS += -rR --no-print-directory
unexport GREP_OPTIONS

# ---------------------------------------------------------------------------
# Command-line options: V=1 verbose, C=1/2 sparse, W=1 extra warnings, O=dir.

ifeq ("$(origin V)", "command line")
  KBUILD_VERBOSE = $(V)
endif
KBUILD_VERBOSE ?= 0

ifeq ("$(origin C)", "command line")
  KBUILD_CHECKSRC = $(C)
endif
KBUILD_CHECKSRC ?= 0

ifeq ("$(origin W)", "command line")
  KBUILD_EXTRA_WARN = $(W)
endif
KBUILD_EXTRA_WARN ?=

export KBUILD_VERBOSE KBUILD_CHECKSRC KBUILD_EXTRA_WARN

# O=dir: re-run this Makefile inside the output directory; sources stay put.
ifeq ($(KBUILD_SRC),)
ifneq ($(O),)
abs_objtree := $(shell mkdir -p $(O) && cd $(O) && pwd)
$(if $(abs_objtree),,$(error cannot create output directory "$(O)"))
PHONY := __sub-make $(MAKECMDGOALS)
__sub-make:
	@$(MAKE) -C $(abs_objtree) -f $(CURDIR)/Makefile KBUILD_SRC=$(CURDIR) O= $(MAKECMDGOALS)
$(filter-out __sub-make, $(MAKECMDGOALS)): __sub-make
	@:
.PHONY: $(PHONY)
skip-makefile := 1
endif
endif

ifeq ($(skip-makefile),)

# The build directory's include/ comes first on the include path, so an O=
# build uses its own generated headers even when the source tree has been
# configured and built too.

ifeq ($(KBUILD_SRC),)
  srctree := .
else
  srctree := $(KBUILD_SRC)
endif
objtree := .
abs_srctree := $(realpath $(srctree))
abs_objtree := $(CURDIR)
export srctree objtree abs_srctree abs_objtree

# Output-directory builds keep a Makefile in the output directory, as Linux does.
ifneq ($(KBUILD_SRC),)
$(shell [ -f Makefile ] || printf 'KBUILD_SRC := %s\nexport KBUILD_SRC\ninclude %s/Makefile\n' \
	'$(abs_srctree)' '$(abs_srctree)' > Makefile)
endif

include $(srctree)/scripts/Kbuild.include

KERNELVERSION = $(VERSION).$(PATCHLEVEL).$(SUBLEVEL)$(EXTRAVERSION)
export KERNELVERSION

# ---------------------------------------------------------------------------
# Kconfig (kconfig-frontends 4.11)

export KCONFIG_CONFIG     ?= .config
export KCONFIG_AUTOCONFIG := include/config/auto.conf
export KCONFIG_AUTOHEADER := include/generated/autoconf.h
export KCONFIG_TRISTATE   := include/config/tristate.conf
KCONF  := kconfig-conf
MCONF  := kconfig-mconf
NCONF  := kconfig-nconf

# Goals that do not need a configured tree.
no-config-goals := help clean mrproper distclean deps run debug check test bench \
                   kernelversion %config %_defconfig scripts_mig
config-goals    := %config %_defconfig

mixed-goals :=
ifneq ($(filter $(config-goals),$(MAKECMDGOALS)),)
ifneq ($(filter-out $(config-goals),$(MAKECMDGOALS)),)
  mixed-goals := 1
endif
endif

ifeq ($(mixed-goals),1)
# "make qemu_x86_64_defconfig all run": one goal at a time, in order.
PHONY := __mixed $(MAKECMDGOALS)
__mixed:
	@set -e; for g in $(MAKECMDGOALS); do $(MAKE) -f $(srctree)/Makefile $$g; done
$(filter-out __mixed,$(MAKECMDGOALS)): __mixed
	@:
.PHONY: $(PHONY)
else

PHONY := all
all:

need-config := 1
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(no-config-goals),$(MAKECMDGOALS)),)
  need-config :=
endif
endif

ifeq ($(need-config),1)
ifeq ($(wildcard $(KCONFIG_CONFIG)),)
$(error no $(KCONFIG_CONFIG) here: run "make qemu_x86_64_defconfig" (or see "make help"), or "make run" which picks one)
endif
-include $(KCONFIG_AUTOCONFIG)
endif

# ---------------------------------------------------------------------------
# ARCH and CROSS_COMPILE follow the board in .config unless given.

hostarch := $(shell uname -m)
config-arch := $(if $(CONFIG_ARCH_ARM64),arm64,$(if $(CONFIG_ARCH_X86_64),x86_64))
ifeq ($(origin ARCH),command line)
  ifneq ($(config-arch),)
    ifneq ($(ARCH),$(config-arch))
      $(error ARCH=$(ARCH) but $(KCONFIG_CONFIG) is for $(config-arch) ($(patsubst "%",%,$(CONFIG_BOARD))); choose a $(ARCH) board with a defconfig)
    endif
  endif
else
  ARCH := $(or $(config-arch),$(if $(filter aarch64 arm64,$(hostarch)),arm64,x86_64))
endif
SRCARCH := $(ARCH)

ifeq ($(origin CROSS_COMPILE),undefined)
  ifeq ($(ARCH),arm64)
    CROSS_COMPILE := $(if $(filter aarch64,$(hostarch)),,aarch64-linux-gnu-)
  else
    CROSS_COMPILE := $(if $(filter x86_64,$(hostarch)),,x86_64-linux-gnu-)
  endif
endif
# Exported only once a configuration decided them: "make run" and friends
# start a new make for the build, which must work them out from .config.
ifeq ($(need-config),1)
export ARCH SRCARCH CROSS_COMPILE
endif

CC       = $(CROSS_COMPILE)gcc
CPP      = $(CC) -E
LD       = $(CROSS_COMPILE)ld
AR       = $(CROSS_COMPILE)ar
NM       = $(CROSS_COMPILE)nm
OBJCOPY  = $(CROSS_COMPILE)objcopy
OBJDUMP  = $(CROSS_COMPILE)objdump
READELF  = $(CROSS_COMPILE)readelf
CHECK    = sparse
HOSTCC   = cc
export CC CPP LD AR NM OBJCOPY OBJDUMP READELF CHECK HOSTCC

# ---------------------------------------------------------------------------
# Flags. Every build is -Wall -Wextra -Werror.

KBUILD_CPPFLAGS := -nostdinc -isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
	-I$(objtree)/include -I$(srctree)/arch/$(SRCARCH)/include -I$(srctree)/include \
	-I$(srctree) \
	-include $(srctree)/include/kern/kconfig.h -D__KERNEL__ -D__MACHLINE__

KBUILD_CFLAGS := -std=gnu11 -ffreestanding -fno-common -fno-strict-aliasing \
	-fno-stack-protector -fno-pic -fno-pie -fno-omit-frame-pointer \
	-fno-delete-null-pointer-checks -fno-asynchronous-unwind-tables \
	-O2 -g -Wall -Wextra -Werror \
	-Wstrict-prototypes -Wmissing-prototypes -Wundef -Wvla \
	-Wno-unused-parameter -fmacro-prefix-map=$(abs_srctree)/=
# (unused parameters are the norm in ops tables and arch hooks; the prefix map
# makes __FILE__ in test failures and BUG() read "kernel/foo.c" in any O= build)

# W=1 adds warnings that are usually worth fixing, W=2 noisier ones; W=12 both.
ifneq ($(findstring 1,$(KBUILD_EXTRA_WARN)),)
KBUILD_CFLAGS += -Wmissing-declarations -Wmissing-format-attribute \
	-Wold-style-definition -Wmissing-include-dirs -Wunused-const-variable \
	-Wpacked-not-aligned -Wformat-overflow=2 -Wformat-truncation=2
endif
ifneq ($(findstring 2,$(KBUILD_EXTRA_WARN)),)
KBUILD_CFLAGS += -Wshadow -Wcast-align -Wnested-externs -Wtype-limits \
	-Wmissing-field-initializers -Wpointer-arith -Wredundant-decls
endif

KBUILD_AFLAGS := -D__ASSEMBLY__ -g
KBUILD_LDFLAGS := -nostdlib -z max-page-size=0x1000 --build-id=none
CHECKFLAGS := -D__CHECKER__ -Wsparse-error -Wbitwise -Wcast-to-as -Wcontext \
	-Wdecl -Wshadow -Wno-unknown-attribute -ffreestanding

export KBUILD_CPPFLAGS KBUILD_CFLAGS KBUILD_AFLAGS KBUILD_LDFLAGS CHECKFLAGS

# The directories that make up the kernel; the arch Makefile adds its own.
core-y := kernel/ ipc/ mm/ drivers/ features/

ifeq ($(need-config),1)
include $(srctree)/arch/$(SRCARCH)/Makefile
endif
export KBUILD_LDS

build-dirs := $(patsubst %/,%,$(core-y))
builtins   := $(addsuffix /built-in.a,$(build-dirs))

# ---------------------------------------------------------------------------
# The kernel: machline (ELF with symbols) and System.map, then the boot images.

all: machline System.map $(boot-images)

# The user-space RAM disk (CONFIG_USERLAND; user/Makefile, Documentation/user.rst):
# built with the kernel's compiler for ARCH into user/, packed into initrd.cpio.
ifeq ($(CONFIG_USERLAND),y)
all: initrd.cpio
PHONY += userland
userland initrd.cpio: prepare FORCE
	$(Q)$(MAKE) -f $(srctree)/user/Makefile O=$(abs_objtree)/user \
		INITRD=$(abs_objtree)/initrd.cpio MIG_OBJ=$(abs_objtree)/scripts/mig Q=$(Q)
endif

# include/config/auto.conf and autoconf.h follow .config, and the Kconfig
# files: after a Kconfig change an existing .config is synced as by Linux's
# syncconfig (with a terminal, new symbols are asked for; without one, the
# user is told to run oldconfig or olddefconfig).
kconfig-files := $(shell find $(srctree) \( -name build -o -name .git \) -prune -o \
			-name 'Kconfig*' -type f -print)
$(KCONFIG_AUTOCONFIG) $(KCONFIG_AUTOHEADER): $(KCONFIG_CONFIG) $(kconfig-files)
	$(Q)mkdir -p include/config include/generated
	$(Q)$(KCONF) --silentoldconfig $(srctree)/Kconfig || { \
	  echo >&2 "*** $(KCONFIG_CONFIG) is out of date: run 'make oldconfig' or 'make olddefconfig'"; exit 1; }
	$(Q)touch $(KCONFIG_AUTOCONFIG) $(KCONFIG_AUTOHEADER)

$(KCONFIG_CONFIG):
	@echo >&2 "*** no $(KCONFIG_CONFIG): run 'make <board>_defconfig' first (see 'make help')"; exit 1

include/generated/version.h: $(srctree)/Makefile FORCE
	$(Q)mkdir -p $(dir $@)
	$(Q)printf '#define MACHLINE_VERSION "%s"\n#define MACHLINE_BOARD "%s"\n#define MACHLINE_ARCH "%s"\n' \
	  '$(KERNELVERSION)' '$(patsubst "%",%,$(CONFIG_BOARD))' '$(ARCH)' > $@.tmp; \
	  cmp -s $@.tmp $@ && rm -f $@.tmp || mv -f $@.tmp $@

PHONY += prepare
# MIG is built here, once, before any directory's sub-make can run it: two
# directories building it at the same time under -j would race.
prepare: $(KCONFIG_AUTOHEADER) include/generated/version.h $(MIG)

$(builtins): prepare FORCE
	$(Q)$(MAKE) -f $(srctree)/scripts/Makefile.build obj=$(patsubst %/built-in.a,%,$@)

# The link runs three passes so that the kernel carries its own symbol table
# (kallsyms) for backtraces: see scripts/link-machline.sh.
quiet_cmd_link_machline = LD      $@
      cmd_link_machline = $(CONFIG_SHELL) $(srctree)/scripts/link-machline.sh $@ $(KBUILD_LDS) $(builtins)
CONFIG_SHELL := /bin/bash
export CONFIG_SHELL

# The linker script is built while descending into arch/; relink when it changes.
machline: $(builtins) $(KBUILD_LDS) FORCE
	$(call if_changed,link_machline)
$(KBUILD_LDS): $(builtins) ;

quiet_cmd_sysmap = SYSMAP  $@
      cmd_sysmap = $(NM) -n $< | grep -v -e ' [aNUw] ' -e '\$$x' -e '\$$d' > $@

System.map: machline FORCE
	$(call if_changed,sysmap)

-include .machline.cmd .System.map.cmd

# ---------------------------------------------------------------------------
# Configuration targets

kconfig-env = srctree=$(srctree) ARCH=$(ARCH)
board-defconfigs := $(notdir $(wildcard $(srctree)/configs/*_defconfig))

PHONY += config menuconfig nconfig oldconfig olddefconfig savedefconfig \
	allnoconfig allyesconfig alldefconfig randconfig listnewconfig defconfig

%_defconfig:
	$(Q)test -f $(srctree)/configs/$@ || { echo >&2 "*** no such defconfig: $@ (see 'make help')"; exit 1; }
	$(Q)$(kconfig-env) $(KCONF) --defconfig=$(srctree)/configs/$@ $(srctree)/Kconfig

# "make defconfig" takes the default board of ARCH (or of the host).
defconfig:
	$(Q)$(MAKE) -f $(srctree)/Makefile $(if $(filter arm64,$(ARCH)),qemu_virt_aarch64_defconfig,qemu_x86_64_defconfig)

menuconfig:
	$(Q)$(kconfig-env) $(MCONF) $(srctree)/Kconfig
nconfig:
	$(Q)$(kconfig-env) $(NCONF) $(srctree)/Kconfig
config oldconfig:
	$(Q)$(kconfig-env) $(KCONF) --oldconfig $(srctree)/Kconfig
olddefconfig allnoconfig allyesconfig alldefconfig randconfig listnewconfig:
	$(Q)$(kconfig-env) $(KCONF) --$@ $(srctree)/Kconfig
savedefconfig:
	$(Q)$(kconfig-env) $(KCONF) --savedefconfig=defconfig $(srctree)/Kconfig

# ---------------------------------------------------------------------------
# Running, testing, checking

PHONY += run debug test check bench deps
BOARD ?=
run debug test: deps
	$(Q)$(CONFIG_SHELL) $(srctree)/scripts/board-config.sh "$(MAKE) -f $(srctree)/Makefile" "$(BOARD)"
	$(Q)$(MAKE) -f $(srctree)/Makefile all
	$(Q)$(CONFIG_SHELL) $(srctree)/scripts/machline-$@ $(objtree)

check: deps
	$(Q)$(CONFIG_SHELL) $(srctree)/scripts/check.sh

# Benchmarks of both boards under QEMU -icount (BOARD= picks one).
bench: deps
	$(Q)$(CONFIG_SHELL) $(srctree)/scripts/bench.sh $(BOARD)

deps:
	$(Q)$(CONFIG_SHELL) $(srctree)/scripts/deps.sh

# MIG, the host tool: "make scripts_mig", and $(call mig_rule,...) for the build.
include $(srctree)/scripts/mig/Makefile.mig

compile_commands.json: FORCE
	$(Q)python3 $(srctree)/scripts/gen_compile_commands.py -d $(objtree) -o $@

# ---------------------------------------------------------------------------
# Cleaning

PHONY += clean mrproper distclean
clean:
	$(Q)find . -path ./.git -prune -o \( -name '*.o' -o -name '*.a' -o -name '.*.cmd' -o -name '.*.d' -o -name '*.lds' \
	  -o -name '.tmp_*' \) -type f -print | xargs rm -f
	$(Q)rm -f machline System.map compile_commands.json $(clean-files) \
	  arch/*/boot/Image arch/*/boot/*.img arch/*/boot/*.scr arch/*/boot/boot.cmd
	$(Q)rm -rf .qemu-env.*
	$(Q)$(MAKE) -f $(srctree)/user/Makefile O=$(abs_objtree)/user \
		INITRD=$(abs_objtree)/initrd.cpio Q=$(Q) clean

mrproper distclean: clean
	$(Q)rm -rf include/config include/generated .config .config.old defconfig

# ---------------------------------------------------------------------------
help:
	@echo 'MachLine $(KERNELVERSION): a Mach microkernel product line'
	@echo ''
	@echo 'Boards and their defconfigs:'
	@for f in $(sort $(board-defconfigs)); do \
	  case $$f in *_tiny_defconfig) d='core only: every layer and every test off';; \
	    *_full_defconfig) d='every feature layer on, with tests';; \
	    *) d='the default configuration, with ktest';; esac; \
	  printf '  %-34s %s\n' "$$f" "$$d"; done
	@echo ''
	@echo 'Configuration:'
	@echo '  <board>_defconfig   - a shipped configuration (above)'
	@echo '  defconfig           - the default board of ARCH (x86_64 unless ARCH=arm64)'
	@echo '  menuconfig nconfig  - menu-driven configuration (ncurses)'
	@echo '  oldconfig           - update .config, asking about new options'
	@echo '  olddefconfig        - update .config, new options at their defaults'
	@echo '  savedefconfig       - write the minimal configuration to ./defconfig'
	@echo '  allnoconfig allyesconfig alldefconfig randconfig (KCONFIG_SEED=n)'
	@echo ''
	@echo 'Building:'
	@echo '  all (default)       - machline (ELF), System.map and the board images'
	@echo '  compile_commands.json - the compilation database for clangd'
	@echo '  clean               - remove build output, keep the configuration'
	@echo '  mrproper            - remove build output and the configuration'
	@echo ''
	@echo 'Running and testing:'
	@echo '  run                 - build and boot in QEMU, console on this terminal (Ctrl-A X quits)'
	@echo '                        BOARD=qemu-x86_64|qemu-virt-aarch64 picks a board'
	@echo '  debug               - as run, with QEMU waiting for gdb; prints the gdb command'
	@echo '  test                - build and boot this configuration, run ktest, report'
	@echo '  check               - every shipped defconfig of both boards: build, sparse,'
	@echo '                        savedefconfig, boot and ktest; allno/allyes/randconfig builds'
	@echo '  bench               - micro-benchmarks of each board under QEMU -icount:'
	@echo '                        guest instructions per operation (BOARD= picks one)'
	@echo '  deps                - install the Debian packages the build needs'
	@echo ''
	@echo 'Options: V=1 (commands) C=1 (sparse) C=2 (sparse, all files) W=1 (more warnings)'
	@echo '         O=dir (build in dir) ARCH= CROSS_COMPILE= (override the board)'

kernelversion:
	@echo $(KERNELVERSION)

PHONY += FORCE
FORCE:

.PHONY: $(PHONY)

endif # mixed-goals
endif # skip-makefile

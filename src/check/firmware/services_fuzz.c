/*
 * services_fuzz.c - libFuzzer target for fw.services.
 *
 * The input becomes the content of every file the check reads by name
 * (inittab, init scripts, systemd units and drop-ins, module lists,
 * sshd_config, UCI dropbear, kernel command lines and a U-Boot
 * environment, mosquitto.conf, shadow), in one tree, and the check runs
 * over it.  Build with -DSL_FUZZ=ON (clang).
 */
#include "../../../fuzz/fuzz.h"

static const char *const names[] = {
    "etc/shadow",
    "etc/inittab",
    "etc/init.d/rcS",
    "etc/inetd.conf",
    "etc/modules",
    "etc/ssh/sshd_config",
    "etc/config/dropbear",
    "boot/cmdline.txt",
    "boot/u-boot-env.bin",
    "etc/mosquitto/mosquitto.conf",
    "lib/systemd/system/bluetooth.service",
    "lib/systemd/system/serial-getty@.service",
    "etc/systemd/system/serial-getty@ttyGS0.service.d/a.conf",
    "etc/systemd/system/multi-user.target.wants/bluetooth.service",
    "etc/systemd/system/getty.target.wants/serial-getty@ttyGS0.service",
};

SL_FUZZ_CHECK(Sl_check_services, names)

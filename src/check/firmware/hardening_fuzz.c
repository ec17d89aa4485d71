/*
 * hardening_fuzz.c - libFuzzer target for fw.hardening's ELF analysis
 * (Sl_elf_analyse: libelf's reading of the headers, program headers,
 * sections, dynamic entries and symbols, and the hash tables, strings and
 * search paths hardening.c reads itself).  Seed it with real executables
 * of several machines and byte orders, with and without section headers.
 */
#include "hardening.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct Sl_elf_info in;

	(void)Sl_elf_analyse(data, size, "usr/sbin/fuzzd", &in);
	(void)Sl_elf_analyse(data, size, "usr/lib/libfuzz.so.1", &in);
	return 0;
}

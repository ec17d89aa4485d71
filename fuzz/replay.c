/*
 * replay.c - run a fuzz target's LLVMFuzzerTestOneInput on files, without
 * libFuzzer: the regression replay of saved crashers (tests/corpus/NAME/)
 * and of the seeds (fuzz/corpus/NAME/) in every build, the sanitizer
 * build included (tests/e2e/t_corpus.sh).  Each file is read whole, at
 * most REPLAY_MAX bytes; a file that cannot be read is an error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLAY_MAX (64U << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf;
		size_t n;

		if (f == NULL) {
			perror(argv[i]);
			rc = 1;
			continue;
		}
		buf = malloc(REPLAY_MAX);
		if (buf == NULL) {
			fclose(f);
			return 1;
		}
		n = fread(buf, 1, REPLAY_MAX, f);
		fclose(f);
		/* An exact-size copy, so that ASan sees reads past the end. */
		{
			uint8_t *exact = malloc(n ? n : 1);

			if (exact == NULL) {
				free(buf);
				return 1;
			}
			memcpy(exact, buf, n);
			free(buf);
			LLVMFuzzerTestOneInput(exact, n);
			free(exact);
		}
	}
	return rc;
}

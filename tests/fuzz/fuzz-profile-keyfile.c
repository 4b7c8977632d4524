/* fuzz-profile-keyfile.c - libFuzzer harness for the [profile] and [secrets] keyfile parsers */
#include <stddef.h>
#include <stdint.h>

#include "ferry-profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FerryProfile *p = ferry_profile_load_from_data((const char *)data, size, "fuzz", NULL);
	FerryProfileSecrets *s =
		ferry_profile_secrets_load_from_data((const char *)data, size, "fuzz", NULL);

	/* A loaded profile is valid and survives save -> load unchanged. */
	if (p) {
		gsize len = 0;
		char *text = ferry_profile_to_data(p, &len);
		FerryProfile *back = ferry_profile_load_from_data(text, len, "fuzz", NULL);

		if (!back || !ferry_profile_equal(p, back))
			__builtin_trap();
		ferry_profile_free(back);
		g_free(text);
		ferry_profile_free(p);
	}
	if (s) {
		gsize len = 0;
		char *text = ferry_profile_secrets_to_data(s, &len);
		FerryProfileSecrets *back =
			ferry_profile_secrets_load_from_data(text, len, "fuzz", NULL);

		if (!back)
			__builtin_trap();
		ferry_wipe(text, len);
		g_free(text);
		ferry_profile_secrets_free(back);
		ferry_profile_secrets_free(s);
	}
	return 0;
}

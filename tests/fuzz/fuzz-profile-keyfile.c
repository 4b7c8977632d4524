/* fuzz-profile-keyfile.c - libFuzzer harness for the keyfile parsers: [profile], [secrets] and
 * NetworkManager connections */
#include <stddef.h>
#include <stdint.h>

#include "ferry-profile.h"
#include "profile-import.h"

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
	/* NetworkManager keyfiles; relative certificate paths resolve to nothing here */
	{
		FerryImportOptions opts = {.format = FERRY_IMPORT_FORMAT_NM};
		GPtrArray *out = ferry_import_data(data, size, "/nonexistent/fuzz", &opts, NULL);

		for (guint i = 0; out && i < out->len; i++) {
			FerryImport *im = g_ptr_array_index(out, i);

			if (!ferry_profile_validate(im->profile, NULL))
				__builtin_trap();
		}
		if (out)
			g_ptr_array_unref(out);
	}
	return 0;
}

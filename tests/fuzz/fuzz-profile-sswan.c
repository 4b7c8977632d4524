/* fuzz-profile-sswan.c - libFuzzer harness for the .sswan importer (JSON) and its exporter */
#include <stddef.h>
#include <stdint.h>

#include "profile-import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FerryImportOptions opts = {.format = FERRY_IMPORT_FORMAT_SSWAN};
	GPtrArray *out = ferry_import_data(data, size, "fuzz", &opts, NULL);

	/* What imports must validate; exporting it must not crash either (files it names are
	 * relative names that do not exist, so export may fail cleanly). */
	for (guint i = 0; out && i < out->len; i++) {
		FerryImport *im = g_ptr_array_index(out, i);
		GBytes *bytes;

		if (!ferry_profile_validate(im->profile, NULL))
			__builtin_trap();
		bytes = ferry_export(im->profile, im->secrets, FERRY_EXPORT_KEYFILE, NULL, NULL);
		if (!bytes)
			__builtin_trap();
		g_bytes_unref(bytes);
	}
	if (out)
		g_ptr_array_unref(out);
	return 0;
}

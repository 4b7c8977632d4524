/* fuzz-profile-mobileconfig.c - libFuzzer harness for the .mobileconfig importer: CMS
 * unwrapping, XML and binary property lists, payload mapping, and the exporter */
#include <stddef.h>
#include <stdint.h>

#include "profile-import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FerryImportOptions opts = {.format = FERRY_IMPORT_FORMAT_MOBILECONFIG};
	GPtrArray *out = ferry_import_data(data, size, "fuzz", &opts, NULL);

	for (guint i = 0; out && i < out->len; i++) {
		FerryImport *im = g_ptr_array_index(out, i);
		GBytes *bytes;

		if (!ferry_profile_validate(im->profile, NULL))
			__builtin_trap();
		/* attachments are not written, so exporting may fail cleanly on their names */
		bytes = ferry_export(im->profile, im->secrets, FERRY_EXPORT_MOBILECONFIG, NULL,
		                     NULL);
		if (bytes)
			g_bytes_unref(bytes);
	}
	if (out)
		g_ptr_array_unref(out);
	return 0;
}

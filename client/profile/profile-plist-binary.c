/* profile-plist-binary.c - reads Apple binary property lists ("bplist00")
 *
 * Layout: "bplist00", the objects, an offset table, and a 32-byte trailer (6 unused bytes,
 * offset size, reference size, object count, top object, offset table offset, the last
 * three big-endian 64-bit).  Each object starts with a marker byte: high nibble the type,
 * low nibble a size (0xF: the size follows as an integer object).  Every offset, size and
 * reference is checked against the buffer; shared references are allowed but the total
 * number of values produced is capped, so a small file cannot expand exponentially.
 */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "profile-plist.h"

#define TRAILER_LEN 32
#define HEADER_LEN  8

typedef struct {
	const guint8 *data;
	gsize len;
	guint offset_size;
	guint ref_size;
	guint64 n_objects;
	guint64 table;
	guint nodes;
	GError **error;
} Reader;

static gboolean G_GNUC_PRINTF(3, 4) fail(Reader *r, const char *path, const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(r->error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s%s%s", path, *path ? ": " : "",
	            msg);
	return FALSE;
}

/* Big-endian unsigned of @size (1..8) bytes at @pos. */
static gboolean
read_uint(Reader *r, guint64 pos, guint size, guint64 *out)
{
	guint64 v = 0;

	if (size == 0 || size > 8 || pos > r->len || r->len - pos < size)
		return FALSE;
	for (guint i = 0; i < size; i++)
		v = v << 8 | r->data[pos + i];
	*out = v;
	return TRUE;
}

static gboolean
object_offset(Reader *r, guint64 ref, guint64 *out)
{
	if (ref >= r->n_objects)
		return FALSE;
	if (!read_uint(r, r->table + ref * r->offset_size, r->offset_size, out))
		return FALSE;
	return *out >= HEADER_LEN && *out < r->table;
}

/* The size from a marker's low nibble, or from the integer object after it. */
static gboolean
read_count(Reader *r, guint64 *pos, guint8 marker, guint64 *count)
{
	guint8 intm;

	if ((marker & 0x0f) != 0x0f) {
		*count = marker & 0x0f;
		return TRUE;
	}
	if (*pos >= r->len)
		return FALSE;
	intm = r->data[(*pos)++];
	if ((intm & 0xf0) != 0x10 || (intm & 0x0f) > 3)
		return FALSE;
	if (!read_uint(r, *pos, 1u << (intm & 0x0f), count))
		return FALSE;
	*pos += 1u << (intm & 0x0f);
	return TRUE;
}

static Plist *read_object(Reader *r, guint64 ref, const char *path, guint depth);

static gboolean
read_string(Reader *r, Plist *p, guint64 pos, guint64 count, gboolean utf16, const char *path)
{
	guint64 bytes = utf16 ? count * 2 : count;
	g_autoptr(GError) local = NULL;

	if (count > r->len || pos > r->len || r->len - pos < bytes)
		return fail(r, path, "string runs past the end of the file");
	if (!utf16) {
		for (guint64 i = 0; i < count; i++) {
			if (r->data[pos + i] & 0x80)
				return fail(r, path, "ASCII string with a non-ASCII byte");
		}
		p->string = g_strndup((const char *)r->data + pos, count);
		if (strlen(p->string) != count)
			return fail(r, path, "string contains a NUL byte");
		return TRUE;
	}
	{
		g_autofree gunichar2 *units = g_new(gunichar2, count + 1);

		for (guint64 i = 0; i < count; i++)
			units[i] =
				(gunichar2)(r->data[pos + 2 * i] << 8 | r->data[pos + 2 * i + 1]);
		p->string = g_utf16_to_utf8(units, (glong)count, NULL, NULL, &local);
		if (!p->string)
			return fail(r, path, "invalid UTF-16 string");
	}
	return TRUE;
}

static gboolean
read_container(Reader *r, Plist *p, guint64 pos, guint64 count, const char *path, guint depth)
{
	gboolean dict = p->type == PLIST_DICT;
	guint64 refs = dict ? count * 2 : count;

	if (count > r->n_objects || pos > r->len || (r->len - pos) / r->ref_size < refs)
		return fail(r, path, "container runs past the end of the file");
	for (guint64 i = 0; i < count; i++) {
		guint64 vref = 0, kref = 0;
		g_autofree char *child_path = NULL;
		g_autoptr(Plist) key = NULL;
		Plist *value;

		read_uint(r, pos + (dict ? count + i : i) * r->ref_size, r->ref_size, &vref);
		if (dict) {
			read_uint(r, pos + i * r->ref_size, r->ref_size, &kref);
			key = read_object(r, kref, path, depth + 1);
			if (!key)
				return FALSE;
			if (key->type != PLIST_STRING)
				return fail(r, path, "a dictionary key that is not a string");
			child_path = *path ? g_strdup_printf("%s.%s", path, key->string)
			                   : g_strdup(key->string);
			if (plist_get(p, key->string))
				return fail(r, child_path, "the key appears twice");
		} else {
			child_path = g_strdup_printf("%s[%" G_GUINT64_FORMAT "]", path, i);
		}
		value = read_object(r, vref, child_path, depth + 1);
		if (!value)
			return FALSE;
		plist_add(p, key ? key->string : NULL, value);
	}
	return TRUE;
}

static gboolean
read_number(Reader *r, Plist *p, guint8 marker, guint64 pos, const char *path)
{
	guint size = 1u << (marker & 0x0f);
	guint64 v;

	if ((marker & 0x0f) > 3 || !read_uint(r, pos, size, &v))
		return fail(r, path, "malformed number");
	if (p->type == PLIST_INTEGER) {
		/* 1, 2 and 4 byte integers are unsigned, 8 byte ones signed */
		p->integer = (gint64)v;
	} else if (size == 8) {
		memcpy(&p->real, &v, sizeof(v));
	} else if (size == 4) {
		guint32 v32 = (guint32)v;
		float f;

		memcpy(&f, &v32, sizeof(f));
		p->real = f;
	} else {
		return fail(r, path, "malformed real");
	}
	return TRUE;
}

static gboolean
read_payload(Reader *r, Plist *p, guint8 marker, guint64 pos, const char *path, guint depth)
{
	guint64 count = 0;

	switch (marker >> 4) {
	case 0x1:
	case 0x2:
		return read_number(r, p, marker, pos, path);
	case 0x3:
		p->string = g_strdup("(binary date)");
		return TRUE;
	case 0x4:
		if (!read_count(r, &pos, marker, &count) || pos > r->len || r->len - pos < count)
			return fail(r, path, "data runs past the end of the file");
		p->data = g_bytes_new(r->data + pos, count);
		return TRUE;
	case 0x5:
	case 0x6:
		if (!read_count(r, &pos, marker, &count))
			return fail(r, path, "malformed string length");
		return read_string(r, p, pos, count, marker >> 4 == 0x6, path);
	case 0xa:
	case 0xd:
		if (!read_count(r, &pos, marker, &count))
			return fail(r, path, "malformed container length");
		return read_container(r, p, pos, count, path, depth);
	}
	return TRUE;
}

/* null, fill, UIDs and sets have no place in a configuration profile */
static gboolean
is_supported(guint8 marker)
{
	switch (marker >> 4) {
	case 0x0:
		return marker == 0x08 || marker == 0x09;
	case 0x1:
	case 0x2:
	case 0x3:
	case 0x4:
	case 0x5:
	case 0x6:
	case 0xa:
	case 0xd:
		return TRUE;
	default:
		return FALSE;
	}
}

static Plist *
read_object(Reader *r, guint64 ref, const char *path, guint depth)
{
	static const PlistType types[16] = {
		[0x0] = PLIST_BOOLEAN, [0x1] = PLIST_INTEGER, [0x2] = PLIST_REAL,
		[0x3] = PLIST_DATE,    [0x4] = PLIST_DATA,    [0x5] = PLIST_STRING,
		[0x6] = PLIST_STRING,  [0xa] = PLIST_ARRAY,   [0xd] = PLIST_DICT,
	};
	g_autoptr(Plist) p = NULL;
	guint64 pos;
	guint8 marker;

	if (depth > PLIST_MAX_DEPTH) {
		fail(r, path, "nested deeper than %d levels", PLIST_MAX_DEPTH);
		return NULL;
	}
	if (++r->nodes > PLIST_MAX_NODES) {
		fail(r, path, "more than %d values", PLIST_MAX_NODES);
		return NULL;
	}
	if (!object_offset(r, ref, &pos)) {
		fail(r, path, "object reference out of range");
		return NULL;
	}
	marker = r->data[pos++];
	if (!is_supported(marker)) {
		fail(r, path, "unsupported object type 0x%02x", marker);
		return NULL;
	}
	p = plist_new(types[marker >> 4]);
	p->boolean = marker == 0x09;
	if (!read_payload(r, p, marker, pos, path, depth))
		return NULL;
	return g_steal_pointer(&p);
}

Plist *
plist_parse_binary(const guint8 *data, gsize len, GError **error)
{
	Reader r = {.data = data, .len = len, .error = error};
	const guint8 *t;
	guint64 top;

	if (len < HEADER_LEN + TRAILER_LEN + 1 || memcmp(data, "bplist00", 8) != 0) {
		fail(&r, "", "not a binary property list");
		return NULL;
	}
	t = data + len - TRAILER_LEN;
	r.offset_size = t[6];
	r.ref_size = t[7];
	read_uint(&r, len - 24, 8, &r.n_objects);
	read_uint(&r, len - 16, 8, &top);
	read_uint(&r, len - 8, 8, &r.table);
	if (r.offset_size < 1 || r.offset_size > 8 || r.ref_size < 1 || r.ref_size > 8 ||
	    r.n_objects == 0 || top >= r.n_objects || r.table < HEADER_LEN ||
	    r.table > len - TRAILER_LEN ||
	    (len - TRAILER_LEN - r.table) / r.offset_size < r.n_objects) {
		fail(&r, "", "corrupt binary property list trailer");
		return NULL;
	}
	return read_object(&r, top, "", 1);
}

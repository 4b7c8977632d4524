/* profile-plist.h - Apple property lists: a small value tree, XML and binary readers, XML writer
 *
 * Readers are for hostile input: nesting, node count and sizes are bounded, duplicate keys
 * and unknown elements are errors, and every error names the key path where it happened
 * ("PayloadContent[1].IKEv2.MTU: not an integer").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PLIST_MAX_DEPTH 32
#define PLIST_MAX_NODES 100000

typedef enum {
	PLIST_DICT,
	PLIST_ARRAY,
	PLIST_STRING,
	PLIST_INTEGER,
	PLIST_REAL,
	PLIST_BOOLEAN,
	PLIST_DATA,
	PLIST_DATE, /* kept as text (ISO 8601) */
} PlistType;

typedef struct _Plist Plist;
struct _Plist {
	PlistType type;
	/* owned */
	GPtrArray *keys;   /* DICT: char *, in file order */
	GPtrArray *values; /* DICT and ARRAY: Plist * */
	char *string;      /* STRING, DATE */
	GBytes *data;      /* DATA */
	gint64 integer;
	double real;
	gboolean boolean;
};

Plist *plist_new(PlistType type);
void plist_free(Plist *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Plist, plist_free)

/* DICT: adds (takes @value); ARRAY: @key NULL. */
void plist_add(Plist *container, const char *key, Plist *value);
Plist *plist_new_string(const char *s);
Plist *plist_new_integer(gint64 v);
Plist *plist_new_boolean(gboolean v);
Plist *plist_new_data(GBytes *data);

/* DICT lookup; NULL when absent (or @dict is not a dict). */
Plist *plist_get(const Plist *dict, const char *key);
const char *plist_type_name(PlistType type);

/* Parse an XML (<?xml ... <plist>) or binary ("bplist00") property list.  Errors are
 * FERRY_ERROR_CONFIG without a file prefix. */
Plist *plist_parse(const guint8 *data, gsize len, GError **error);
Plist *plist_parse_xml(const guint8 *data, gsize len, GError **error);
Plist *plist_parse_binary(const guint8 *data, gsize len, GError **error);

/* XML plist text (UTF-8, Apple's DOCTYPE) of @root. */
GBytes *plist_to_xml(const Plist *root);

G_END_DECLS

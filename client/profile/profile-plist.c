/* profile-plist.c - the property list value tree, and its XML reader and writer (libxml2) */
#include "config.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "ferry-error.h"
#include "profile-cert.h"
#include "profile-plist.h"

Plist *
plist_new(PlistType type)
{
	Plist *p = g_new0(Plist, 1);

	p->type = type;
	if (type == PLIST_DICT) {
		p->keys = g_ptr_array_new_with_free_func(g_free);
		p->values = g_ptr_array_new_with_free_func((GDestroyNotify)plist_free);
	} else if (type == PLIST_ARRAY) {
		p->values = g_ptr_array_new_with_free_func((GDestroyNotify)plist_free);
	}
	return p;
}

void
plist_free(Plist *p)
{
	if (!p)
		return;
	g_clear_pointer(&p->keys, g_ptr_array_unref);
	g_clear_pointer(&p->values, g_ptr_array_unref);
	g_free(p->string);
	g_clear_pointer(&p->data, g_bytes_unref);
	g_free(p);
}

void
plist_add(Plist *container, const char *key, Plist *value)
{
	if (container->type == PLIST_DICT)
		g_ptr_array_add(container->keys, g_strdup(key));
	g_ptr_array_add(container->values, value);
}

Plist *
plist_new_string(const char *s)
{
	Plist *p = plist_new(PLIST_STRING);

	p->string = g_strdup(s);
	return p;
}

Plist *
plist_new_integer(gint64 v)
{
	Plist *p = plist_new(PLIST_INTEGER);

	p->integer = v;
	return p;
}

Plist *
plist_new_boolean(gboolean v)
{
	Plist *p = plist_new(PLIST_BOOLEAN);

	p->boolean = v;
	return p;
}

Plist *
plist_new_data(GBytes *data)
{
	Plist *p = plist_new(PLIST_DATA);

	p->data = g_bytes_ref(data);
	return p;
}

Plist *
plist_get(const Plist *dict, const char *key)
{
	if (!dict || dict->type != PLIST_DICT)
		return NULL;
	for (guint i = 0; i < dict->keys->len; i++) {
		if (strcmp(g_ptr_array_index(dict->keys, i), key) == 0)
			return g_ptr_array_index(dict->values, i);
	}
	return NULL;
}

const char *
plist_type_name(PlistType type)
{
	static const char *const names[] = {"a dictionary", "an array",  "a string", "an integer",
	                                    "a real",       "a boolean", "data",     "a date"};

	return type < G_N_ELEMENTS(names) ? names[type] : "unknown";
}

Plist *
plist_parse(const guint8 *data, gsize len, GError **error)
{
	if (len >= 8 && memcmp(data, "bplist00", 8) == 0)
		return plist_parse_binary(data, len, error);
	return plist_parse_xml(data, len, error);
}

/* --- XML reader ---------------------------------------------------------------------- */

typedef struct {
	guint nodes;
	GError **error;
} XmlReader;

static gboolean G_GNUC_PRINTF(3, 4) xml_fail(XmlReader *r, const char *path, const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(r->error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s%s%s", path ? path : "",
	            path && *path ? ": " : "", msg);
	return FALSE;
}

static gboolean
is_element(xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE;
}

/* Text of an element whose children are text only; entity references are refused so that
 * nothing gets expanded. */
static gboolean
element_text(XmlReader *r, xmlNode *el, const char *path, char **out)
{
	GString *s = g_string_new(NULL);

	for (xmlNode *c = el->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			g_string_append(s, (const char *)c->content);
		} else if (c->type != XML_COMMENT_NODE) {
			g_string_free(s, TRUE);
			return xml_fail(r, path, "unexpected markup inside <%s>",
			                (const char *)el->name);
		}
	}
	*out = g_string_free(s, FALSE);
	return TRUE;
}

static Plist *read_xml_value(XmlReader *r, xmlNode *el, const char *path, guint depth);

static gboolean
read_xml_dict(XmlReader *r, Plist *dict, xmlNode *el, const char *path, guint depth)
{
	xmlNode *c = el->children;

	for (;;) {
		g_autofree char *key = NULL;
		g_autofree char *child_path = NULL;
		Plist *value;

		while (c && !is_element(c))
			c = c->next;
		if (!c)
			return TRUE;
		if (strcmp((const char *)c->name, "key") != 0)
			return xml_fail(r, path, "<%s> where a <key> belongs",
			                (const char *)c->name);
		if (!element_text(r, c, path, &key))
			return FALSE;
		child_path = *path ? g_strdup_printf("%s.%s", path, key) : g_strdup(key);
		if (plist_get(dict, key))
			return xml_fail(r, child_path, "the key appears twice");
		for (c = c->next; c && !is_element(c); c = c->next)
			;
		if (!c)
			return xml_fail(r, child_path, "a key without a value");
		value = read_xml_value(r, c, child_path, depth + 1);
		if (!value)
			return FALSE;
		plist_add(dict, key, value);
		c = c->next;
	}
}

static gboolean
read_xml_array(XmlReader *r, Plist *array, xmlNode *el, const char *path, guint depth)
{
	for (xmlNode *c = el->children; c; c = c->next) {
		g_autofree char *child_path = NULL;
		Plist *value;

		if (!is_element(c))
			continue;
		child_path = g_strdup_printf("%s[%u]", path, array->values->len);
		value = read_xml_value(r, c, child_path, depth + 1);
		if (!value)
			return FALSE;
		plist_add(array, NULL, value);
	}
	return TRUE;
}

static gboolean
read_xml_scalar(XmlReader *r, Plist *p, const char *text, const char *path)
{
	g_autoptr(GError) local = NULL;
	char *end = NULL;

	switch (p->type) {
	case PLIST_STRING:
	case PLIST_DATE:
		p->string = g_strdup(text);
		return TRUE;
	case PLIST_INTEGER:
		if (!g_ascii_string_to_signed(g_strstrip((char *)text), 10, G_MININT64, G_MAXINT64,
		                              &p->integer, NULL))
			return xml_fail(r, path, "'%s' is not an integer", text);
		return TRUE;
	case PLIST_REAL:
		p->real = g_ascii_strtod(text, &end);
		if (end == text)
			return xml_fail(r, path, "'%s' is not a number", text);
		return TRUE;
	case PLIST_DATA:
		p->data = profile_base64_decode(text, &local);
		if (!p->data)
			return xml_fail(r, path, "%s", local->message);
		return TRUE;
	case PLIST_DICT:
	case PLIST_ARRAY:
	case PLIST_BOOLEAN:
		break;
	}
	return TRUE;
}

static const struct {
	const char *element;
	PlistType type;
} xml_types[] = {
	{"dict",    PLIST_DICT   },
        {"array",   PLIST_ARRAY  },
        {"string",  PLIST_STRING },
	{"integer", PLIST_INTEGER},
        {"real",    PLIST_REAL   },
        {"true",    PLIST_BOOLEAN},
	{"false",   PLIST_BOOLEAN},
        {"data",    PLIST_DATA   },
        {"date",    PLIST_DATE   },
};

static Plist *
read_xml_value(XmlReader *r, xmlNode *el, const char *path, guint depth)
{
	const char *name = (const char *)el->name;
	g_autoptr(Plist) p = NULL;
	g_autofree char *text = NULL;
	gboolean ok;

	if (depth > PLIST_MAX_DEPTH) {
		xml_fail(r, path, "nested deeper than %d levels", PLIST_MAX_DEPTH);
		return NULL;
	}
	if (++r->nodes > PLIST_MAX_NODES) {
		xml_fail(r, path, "more than %d values", PLIST_MAX_NODES);
		return NULL;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(xml_types) && !p; i++) {
		if (strcmp(xml_types[i].element, name) == 0)
			p = plist_new(xml_types[i].type);
	}
	if (!p) {
		xml_fail(r, path, "unknown element <%s>", name);
		return NULL;
	}
	if (p->type == PLIST_DICT)
		ok = read_xml_dict(r, p, el, path, depth);
	else if (p->type == PLIST_ARRAY)
		ok = read_xml_array(r, p, el, path, depth);
	else if (p->type == PLIST_BOOLEAN)
		ok = (p->boolean = name[0] == 't', TRUE);
	else
		ok = element_text(r, el, path, &text) && read_xml_scalar(r, p, text, path);
	return ok ? g_steal_pointer(&p) : NULL;
}

Plist *
plist_parse_xml(const guint8 *data, gsize len, GError **error)
{
	/* No network, no DTD loading, no entity substitution (the default): an XML bomb has
	 * nothing to expand, and libxml2 caps amplification on top. */
	const int options =
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
	XmlReader r = {.error = error};
	xmlDoc *doc;
	xmlNode *root, *top = NULL;
	Plist *out = NULL;

	if (len > G_MAXINT) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "too large");
		return NULL;
	}
	xmlInitParser();
	doc = xmlReadMemory((const char *)data, (int)len, NULL, NULL, options);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		g_autofree char *msg = g_strdup(e && e->message ? e->message : "malformed\n");

		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "not well-formed XML (line %d: %s)", e ? e->line : 0, g_strstrip(msg));
		return NULL;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || strcmp((const char *)root->name, "plist") != 0) {
		xml_fail(&r, NULL, "not a property list (no <plist> element)");
	} else {
		for (xmlNode *c = root->children; c; c = c->next) {
			if (is_element(c) && !top)
				top = c;
			else if (is_element(c))
				top = root; /* a second value: flagged below */
		}
		if (!top || top == root)
			xml_fail(&r, NULL, "<plist> must hold exactly one value");
		else
			out = read_xml_value(&r, top, "", 1);
	}
	xmlFreeDoc(doc);
	return out;
}

/* --- XML writer ---------------------------------------------------------------------- */

static void
write_xml_value(xmlNode *parent, const Plist *p)
{
	g_autofree char *text = NULL;

	switch (p->type) {
	case PLIST_DICT: {
		xmlNode *dict = xmlNewChild(parent, NULL, BAD_CAST "dict", NULL);

		for (guint i = 0; i < p->keys->len; i++) {
			xmlNewTextChild(dict, NULL, BAD_CAST "key",
			                BAD_CAST g_ptr_array_index(p->keys, i));
			write_xml_value(dict, g_ptr_array_index(p->values, i));
		}
		return;
	}
	case PLIST_ARRAY: {
		xmlNode *array = xmlNewChild(parent, NULL, BAD_CAST "array", NULL);

		for (guint i = 0; i < p->values->len; i++)
			write_xml_value(array, g_ptr_array_index(p->values, i));
		return;
	}
	case PLIST_STRING:
	case PLIST_DATE:
		xmlNewTextChild(parent, NULL, BAD_CAST(p->type == PLIST_STRING ? "string" : "date"),
		                BAD_CAST p->string);
		return;
	case PLIST_INTEGER:
		text = g_strdup_printf("%" G_GINT64_FORMAT, p->integer);
		xmlNewTextChild(parent, NULL, BAD_CAST "integer", BAD_CAST text);
		return;
	case PLIST_REAL:
		text = g_strdup_printf("%g", p->real);
		xmlNewTextChild(parent, NULL, BAD_CAST "real", BAD_CAST text);
		return;
	case PLIST_BOOLEAN:
		xmlNewChild(parent, NULL, BAD_CAST(p->boolean ? "true" : "false"), NULL);
		return;
	case PLIST_DATA:
		text = g_base64_encode(g_bytes_get_data(p->data, NULL), g_bytes_get_size(p->data));
		xmlNewTextChild(parent, NULL, BAD_CAST "data", BAD_CAST text);
		return;
	}
}

GBytes *
plist_to_xml(const Plist *root)
{
	xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNode *plist = xmlNewNode(NULL, BAD_CAST "plist");
	xmlChar *buf = NULL;
	int size = 0;
	GBytes *out;

	xmlCreateIntSubset(doc, BAD_CAST "plist", BAD_CAST "-//Apple//DTD PLIST 1.0//EN",
	                   BAD_CAST "http://www.apple.com/DTDs/PropertyList-1.0.dtd");
	xmlNewProp(plist, BAD_CAST "version", BAD_CAST "1.0");
	xmlDocSetRootElement(doc, plist);
	write_xml_value(plist, root);
	xmlDocDumpFormatMemoryEnc(doc, &buf, &size, "UTF-8", 1);
	out = g_bytes_new(buf, (gsize)size);
	xmlFree(buf);
	xmlFreeDoc(doc);
	return out;
}

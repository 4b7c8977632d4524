/* profile-import.h - importers (.sswan, .mobileconfig, NetworkManager keyfiles) and exporters
 *
 * An import never touches the disk: it yields FerryImport records (one per VPN connection
 * found) holding the profile, its secrets, the embedded files to write next to it, and the
 * list of source fields that could not be carried over.  ferry_profile_store_save_import()
 * (profile-store.h) then writes everything, or ferry_import_write_attachments() when the
 * caller keeps profiles elsewhere.
 *
 * Errors are FERRY_ERROR_CONFIG and read "FILE: FIELD: what is wrong", FIELD being the key
 * path in the source format ("remote.cert", "IKEv2.RemoteAddress", "vpn.address").
 */
#pragma once

#include <glib.h>

#include "ferry-profile.h"

G_BEGIN_DECLS

typedef enum {
	FERRY_IMPORT_FORMAT_AUTO,         /* detect from the content */
	FERRY_IMPORT_FORMAT_KEYFILE,      /* Ferry's own [profile] keyfile */
	FERRY_IMPORT_FORMAT_SSWAN,        /* strongSwan Android .sswan JSON */
	FERRY_IMPORT_FORMAT_MOBILECONFIG, /* Apple configuration profile (XML/binary, signed) */
	FERRY_IMPORT_FORMAT_NM,           /* NetworkManager keyfile, strongswan or libreswan */
} FerryImportFormat;

/* What an embedded file is; the profile field it fills. */
typedef enum {
	FERRY_ATTACHMENT_CA_CERT,       /* -> ca-certs (appended) */
	FERRY_ATTACHMENT_SERVER_CERT,   /* -> server-cert */
	FERRY_ATTACHMENT_CLIENT_PKCS12, /* -> client-pkcs12 */
} FerryAttachmentRole;

typedef struct {
	FerryAttachmentRole role;
	char *name;      /* file name suffix, e.g. "ca.pem"; the profile field holds this name until
	                  * the attachment is written, then the written path */
	GBytes *data;    /* PEM for certificates, DER for PKCS#12 */
	gboolean secret; /* written 0600 (holds a private key) */
} FerryAttachment;

typedef struct {
	/* owned */
	FerryProfile *profile;
	FerryProfileSecrets *secrets; /* never NULL; may be empty */
	GPtrArray *attachments;       /* FerryAttachment */
	GPtrArray *unmapped;          /* char *: "FIELD: why it was not carried over" */
	char *source;                 /* the file imported from */
	FerryImportFormat format;
	/* .mobileconfig: who signed it (subject DN), NULL when unsigned */
	char *signer;
	gboolean signer_trusted; /* the signature verified and the signer chains to a trust
	                          * anchor; FALSE with a signer means "signed, but unverified" */
} FerryImport;

typedef struct {
	FerryImportFormat format; /* AUTO to detect */
	/* Extra trust anchors (PEM file) for verifying signed .mobileconfig files, in addition
	 * to the system's; NULL for the system's only. */
	const char *anchors_file;
} FerryImportOptions;

/* Upper bound on any input file; configuration files are kilobytes. */
#define FERRY_IMPORT_MAX_SIZE (4 * 1024 * 1024)

FerryImport *ferry_import_new(const char *source, FerryImportFormat format);
void ferry_import_free(FerryImport *import);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FerryImport, ferry_import_free)

/* Records a source field that has no place in FerryProfile. */
void ferry_import_add_unmapped(FerryImport *import, const char *field, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);
/* Adds an embedded file and points the profile field of @role at its name. */
void ferry_import_add_attachment(FerryImport *import,
                                 FerryAttachmentRole role,
                                 const char *name,
                                 GBytes *data,
                                 gboolean secret);

/**
 * ferry_import_data:
 * @data: file contents; @source: its name for errors (a path)
 * @options: (nullable): NULL = detect the format, system trust anchors
 *
 * Returns: (transfer full) (element-type FerryImport): one record per VPN connection, each
 * profile validated; NULL with @error on any problem (nothing is half-imported).
 */
GPtrArray *ferry_import_data(const guint8 *data,
                             gsize len,
                             const char *source,
                             const FerryImportOptions *options,
                             GError **error);
GPtrArray *ferry_import_file(const char *path, const FerryImportOptions *options, GError **error);

/* The format ferry_import_data() would pick for these bytes (never AUTO: KEYFILE when in
 * doubt). */
FerryImportFormat ferry_import_detect_format(const guint8 *data, gsize len, const char *source);
const char *ferry_import_format_to_string(FerryImportFormat format);

/**
 * ferry_import_write_attachments:
 * Writes each attachment as "@dir/@basename.<name>" (0600 when secret, else 0644) and
 * replaces the profile field that named it with the written path.
 */
gboolean ferry_import_write_attachments(FerryImport *import,
                                        const char *dir,
                                        const char *basename,
                                        GError **error);

/* Per-format parsers behind ferry_import_data() (import-*.c). */
GPtrArray *ferry_import_sswan(const guint8 *data, gsize len, const char *source, GError **error);
GPtrArray *ferry_import_nm(const guint8 *data, gsize len, const char *source, GError **error);
GPtrArray *ferry_import_mobileconfig(const guint8 *data,
                                     gsize len,
                                     const char *source,
                                     const FerryImportOptions *options,
                                     GError **error);
GPtrArray *ferry_import_keyfile(const guint8 *data, gsize len, const char *source, GError **error);

/* --- exporters (export-*.c) --------------------------------------------------------------
 *
 * Each returns the file's bytes and, in @dropped (char *, "FIELD: why"), the profile fields
 * the format cannot express.  Files named by ca-certs, server-cert and client-pkcs12 are read
 * and embedded; @secrets (nullable) are embedded where the format has a place for them
 * (.sswan: EAP password; .mobileconfig: PSK, EAP password, PKCS#12 password).
 */
typedef enum {
	FERRY_EXPORT_KEYFILE,
	FERRY_EXPORT_SSWAN,
	FERRY_EXPORT_MOBILECONFIG,
} FerryExportFormat;

gboolean ferry_export_format_from_string(const char *s, FerryExportFormat *format);
GBytes *ferry_export(const FerryProfile *profile,
                     const FerryProfileSecrets *secrets,
                     FerryExportFormat format,
                     GPtrArray **dropped,
                     GError **error);
GBytes *ferry_export_sswan(const FerryProfile *profile,
                           const FerryProfileSecrets *secrets,
                           GPtrArray *dropped,
                           GError **error);
GBytes *ferry_export_mobileconfig(const FerryProfile *profile,
                                  const FerryProfileSecrets *secrets,
                                  GPtrArray *dropped,
                                  GError **error);

G_END_DECLS

/*
 * cyclonedx.c - the components found as a CycloneDX 1.5 SBOM, JSON
 * (jansson), with the vulnerabilities matched to them.
 *
 *	bomFormat "CycloneDX", specVersion "1.5", version 1
 *	serialNumber  urn:uuid, a name-based (SHA-1, version 5) UUID of the
 *	              image's SHA-256, so that the same image always gets
 *	              the same serial number (of the device host without one)
 *	metadata      timestamp, tools.components (starlab), component: the
 *	              firmware image with its SHA-256 (or the device)
 *	components    one per (name, version, place) (src/vuln/vuln.c; a
 *	              container and what it holds are one place), sorted:
 *	              type, bom-ref, name, version, purl, cpe,
 *	              evidence.occurrences (the tree paths, or
 *	              starlab://HOST:PORT/) and properties (starlab:source,
 *	              starlab:path or starlab:host / starlab:port per path)
 *	vulnerabilities  one per CVE id, sorted by id: source, ratings
 *	              (CVSSv31 score and severity), description, affects
 *	              (the bom-refs of every component it matched)
 *
 * Only the timestamp differs between two runs on the same input.  A
 * writer never decides: the matches are the scan's.  Strings that came
 * from the image or the device were cut to printable ASCII when the
 * component was recorded; jansson escapes them.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "report.h"
#include "../vuln/vulndb.h"

/* Names from the image and the device: never invalid UTF-8 (escape.c). */
#define json_string(s) Sl_jstr(s)

#define DUMP_FLAGS                                                             \
	(JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))

/* RFC 4122 appendix C: the URL namespace, for the version 5 UUID. */
static const uint8_t ns_url[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad,
                                   0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0,
                                   0x4f, 0xd4, 0x30, 0xc8};

/* "urn:uuid:..." of name, version 5 (RFC 4122 section 4.3). */
static void
uuid5(const char *name, char out[46])
{
	uint8_t h[EVP_MAX_MD_SIZE];
	unsigned int hl = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	char hx[33];

	memset(h, 0, sizeof(h));
	if (c != NULL && EVP_DigestInit_ex(c, EVP_sha1(), NULL) == 1 &&
	    EVP_DigestUpdate(c, ns_url, sizeof(ns_url)) == 1 &&
	    EVP_DigestUpdate(c, name, strlen(name)) == 1)
		(void)EVP_DigestFinal_ex(c, h, &hl);
	EVP_MD_CTX_free(c);
	h[6] = (uint8_t)((h[6] & 0x0f) | 0x50);
	h[8] = (uint8_t)((h[8] & 0x3f) | 0x80);
	Sl_hex(h, 16, hx);
	snprintf(out, 46, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hx, hx + 8,
	         hx + 12, hx + 16, hx + 20);
}

/* The CycloneDX component type of a component. */
static const char *
comp_type(const char *name)
{
	static const char *const apps[] = {
	    "busybox",   "dropbear",  "dnsmasq", "lighttpd",
	    "openssh",   "mosquitto", "hostapd", "wpa_supplicant",
	    "miniupnpd", "nginx",     "samba",   "sudo",
	    "ppp",       "curl",
	};
	size_t i;

	if (strcmp(name, "linux") == 0)
		return "operating-system";
	for (i = 0; i < SL_ARRAY_LEN(apps); i++)
		if (strcmp(name, apps[i]) == 0)
			return "application";
	return "library";
}

static const char *
rating(double cvss)
{
	if (cvss >= 9.0)
		return "critical";
	if (cvss >= 7.0)
		return "high";
	if (cvss >= 4.0)
		return "medium";
	if (cvss > 0)
		return "low";
	return "unknown";
}

static json_t *
prop(const char *name, const char *value)
{
	return json_pack("{s:s, s:o}", "name", name, "value",
	                 json_string(value));
}

/* Where c was found, as an occurrence's location. */
static char *
where(const struct sl_component *c)
{
	char *s = NULL;

	if (c->where.path != NULL)
		return strdup(c->where.path);
	if (c->where.host != NULL &&
	    asprintf(&s,
	             strchr(c->where.host, ':') ? "starlab://[%s]:%u/"
	                                        : "starlab://%s:%u/",
	             c->where.host, c->where.port) >= 0)
		return s;
	return NULL;
}

/*
 * One component for the records c[0..n) of one (name, version, place)
 * (same_component): the kernel's uImage and its decoded stream are one
 * kernel, found at two places of the tree, each an evidence occurrence
 * (CycloneDX 1.5) and a starlab:path or starlab:host/starlab:port
 * property.
 */
static json_t *
component_json(const struct sl_component *const *c, size_t n, const char *ref)
{
	json_t *o = json_object(), *props = json_array(), *occ = json_array();
	char port[16], *loc;
	size_t i;

	json_object_set_new(o, "type", json_string(comp_type(c[0]->name)));
	json_object_set_new(o, "bom-ref", json_string(ref));
	json_object_set_new(o, "name", json_string(c[0]->name));
	json_object_set_new(o, "version", json_string(c[0]->version));
	for (i = 0; i < n; i++)
		if (c[i]->cpe != NULL) {
			json_object_set_new(o, "cpe", json_string(c[i]->cpe));
			break;
		}
	for (i = 0; i < n; i++)
		if (c[i]->purl != NULL) {
			json_object_set_new(o, "purl", json_string(c[i]->purl));
			break;
		}
	json_array_append_new(
	    props,
	    prop("starlab:source",
	         c[0]->source == SL_SRC_NETWORK ? "network" : "firmware"));
	for (i = 0; i < n; i++) {
		if ((loc = where(c[i])) != NULL) {
			json_array_append_new(
			    occ,
			    json_pack("{s:o}", "location", json_string(loc)));
			free(loc);
		}
		if (c[i]->where.path != NULL)
			json_array_append_new(
			    props, prop("starlab:path", c[i]->where.path));
		if (c[i]->where.host != NULL) {
			snprintf(port, sizeof(port), "%u", c[i]->where.port);
			json_array_append_new(
			    props, prop("starlab:host", c[i]->where.host));
			json_array_append_new(props,
			                      prop("starlab:port", port));
		}
	}
	if (json_array_size(occ) > 0)
		json_object_set_new(o, "evidence",
		                    json_pack("{s:o}", "occurrences", occ));
	else
		json_decref(occ);
	json_object_set_new(o, "properties", props);
	return o;
}

/*
 * The records of one component: same name, version and source, found in
 * one artifact: the same place, or a place inside the other's (the
 * kernel's uImage "X" and its decoded stream "X:lzma!/data").  Two
 * kernels at two offsets of the flash are two components.
 */
static bool
inside(const char *outer, const char *inner)
{
	size_t n = strlen(outer);

	return strncmp(outer, inner, n) == 0 &&
	       (inner[n] == '\0' || inner[n] == ':' || inner[n] == '!' ||
	        inner[n] == '@');
}

static bool
same_component(const struct sl_component *a, const struct sl_component *b)
{
	if (strcmp(a->name, b->name) != 0 ||
	    strcmp(a->version, b->version) != 0 || a->source != b->source)
		return false;
	if (a->where.path != NULL && b->where.path != NULL)
		return inside(a->where.path, b->where.path) ||
		       inside(b->where.path, a->where.path);
	if (a->where.host != NULL && b->where.host != NULL)
		return strcmp(a->where.host, b->where.host) == 0 &&
		       a->where.port == b->where.port;
	return a->where.path == NULL && b->where.path == NULL &&
	       a->where.host == NULL && b->where.host == NULL;
}

/* One vulnerability being gathered: its best record and its components. */
struct vrec {
	const struct Sl_vuln *v;
	json_t *affects;
	size_t last; /* the last component (1-based) added to affects */
};

static int
vrec_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vrec *)a)->v->id,
	              ((const struct vrec *)b)->v->id);
}

static json_t *
vuln_json(const struct vrec *r)
{
	const struct Sl_vuln *v = r->v;
	json_t *o = json_object(), *src = json_object(), *rt = json_object();
	const char *sname =
	    v->source && strcmp(v->source, "OSV") == 0 ? "OSV" : "NVD";

	json_object_set_new(o, "bom-ref",
	                    json_string(v->id)); /* ids are unique here */
	json_object_set_new(o, "id", json_string(v->id));
	json_object_set_new(src, "name", json_string(sname));
	if (v->url != NULL)
		json_object_set_new(src, "url", json_string(v->url));
	json_object_set_new(o, "source", src);
	json_object_set_new(rt, "source",
	                    json_pack("{s:o}", "name", json_string(sname)));
	if (v->cvss > 0)
		json_object_set_new(rt, "score", json_real(v->cvss));
	json_object_set_new(rt, "severity", json_string(rating(v->cvss)));
	if (v->cvss > 0)
		json_object_set_new(rt, "method", json_string("CVSSv31"));
	json_object_set_new(o, "ratings", json_pack("[o]", rt));
	if (v->summary != NULL)
		json_object_set_new(o, "description", json_string(v->summary));
	json_object_set_new(o, "affects", json_incref(r->affects));
	return o;
}

char *
Sl_report_cyclonedx(struct sl_scan *s, int64_t generated_at)
{
	const struct sl_component **v;
	struct vrec *vr = NULL;
	size_t i, j, k, n, nv = 0, cap = 0, e, g, m;
	json_t *root, *meta, *comps, *vulns, *subj;
	char ts[32], serial[46], hx[65], ref[400], *name, *out = NULL;
	bool nomem = false;

	v = Sl_components_sorted(s, &n);
	if (n > 0 && v == NULL)
		goto oom;
	comps = json_array();
	/*
	 * Sorted by name, version, source and place (a container before
	 * what it holds): a component's records are next to one another.
	 */
	for (i = 0, g = 0; i < n; i = e) {
		const struct Sl_vuln *const *hits;
		size_t nh;

		for (e = i + 1; e < n && same_component(v[i], v[e]); e++)
			continue;
		g++;
		/* Unique and stable: the sorted position keeps it so. */
		snprintf(ref, sizeof(ref), "component-%zu-%s@%s", g, v[i]->name,
		         v[i]->version);
		json_array_append_new(comps, component_json(v + i, e - i, ref));
		for (m = i; m < e; m++) {
			hits = Sl_component_vulns(v[m], &nh);
			for (j = 0; j < nh; j++) {
				for (k = 0; k < nv; k++)
					if (strcmp(vr[k].v->id, hits[j]->id) ==
					    0)
						break;
				if (k == nv) {
					if (nv == cap) {
						size_t nc = cap ? cap * 2 : 32;
						struct vrec *nr = realloc(
						    vr, nc * sizeof(*nr));

						if (nr == NULL) {
							nomem = true;
							continue;
						}
						vr = nr;
						cap = nc;
					}
					vr[nv].v = hits[j];
					vr[nv].affects = json_array();
					nv++;
					vr[k].last = 0;
				} else if (hits[j]->cvss > vr[k].v->cvss) {
					vr[k].v = hits[j];
				}
				/* Once per component, however many records
				 * match. */
				if (vr[k].last != g)
					json_array_append_new(
					    vr[k].affects,
					    json_pack("{s:o}", "ref",
					              json_string(ref)));
				vr[k].last = g;
			}
		}
	}
	if (nv > 1)
		qsort(vr, nv, sizeof(*vr), vrec_cmp);
	vulns = json_array();
	for (k = 0; k < nv; k++) {
		json_array_append_new(vulns, vuln_json(&vr[k]));
		json_decref(vr[k].affects);
	}
	free(vr);
	free(v);

	if (s->has_fw) {
		Sl_hex(s->fw_sha, 32, hx);
		snprintf(ref, sizeof(ref), "starlab:firmware:sha256:%s", hx);
		uuid5(ref, serial);
		subj = json_pack("{s:s, s:s, s:o, s:[{s:s, s:s}]}", "type",
		                 "firmware", "bom-ref", "subject", "name",
		                 json_string(s->fw_name), "hashes", "alg",
		                 "SHA-256", "content", hx);
	} else {
		name = Sl_arena_printf(&s->arena, "starlab:device:%s",
		                       s->device ? s->device : "");
		uuid5(name ? name : "starlab:device:", serial);
		subj = json_pack(
		    "{s:s, s:s, s:o}", "type", "device", "bom-ref", "subject",
		    "name",
		    json_string(s->device ? s->device : "unknown device"));
	}
	Sl_iso_time(generated_at, ts);
	meta = json_pack("{s:s, s:{s:[{s:s, s:s, s:s}]}, s:o}", "timestamp", ts,
	                 "tools", "components", "type", "application", "name",
	                 "starlab", "version", SL_VERSION, "component", subj);
	root = json_pack("{s:s, s:s, s:s, s:i, s:o, s:o, s:o}", "bomFormat",
	                 "CycloneDX", "specVersion", "1.5", "serialNumber",
	                 serial, "version", 1, "metadata", meta, "components",
	                 comps, "vulnerabilities", vulns);
	if (root == NULL || nomem) {
		json_decref(root);
		goto oom;
	}
	out = json_dumps(root, DUMP_FLAGS);
	json_decref(root);
	if (out == NULL)
		goto oom;
	return out;
oom:
	Sl_fail(s, SL_E_NOMEM, "cyclonedx: out of memory");
	return NULL;
}

/*
 * assess.c - one product, one checklist: the scans of an assessment (the
 * images of one or two units, the device, the snapshots) merged into one
 * scan whose verdicts are decided over the union of their evidence, and
 * the rules that need two sources at once (docs/verdicts.md, "Merged
 * evidence").
 *
 * Trust: the scans merged in were built by starlab from untrusted input,
 * but their findings are already bounded and masked; the only new input
 * read here is each input file, hashed in fixed-size chunks up to
 * SL_ASSESS_MAX_INPUT bytes.
 *
 * Why a merge rather than one scan for everything: two units are two
 * virtual trees (a scan holds one image), and the device and the images
 * are examined in parallel on their own scans.  Merging afterwards keeps
 * every check unaware of the assessment.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "assess.h"
#include "check.h"
#include "../profile/profile.h"

struct Sl_assess *
Sl_assess_of(struct sl_scan *s)
{
	if (s->assess == NULL)
		s->assess = Sl_arena_alloc(&s->arena, sizeof(*s->assess));
	return s->assess;
}

/* SHA-256 and size of the regular file at path, read in chunks. */
static sl_rc
hash_file(struct sl_scan *s, const char *path, uint8_t sha[32], uint64_t *size)
{
	static const size_t chunk = 1U << 20;
	EVP_MD_CTX *md;
	struct stat st;
	unsigned len = 32;
	uint8_t *buf;
	ssize_t r;
	sl_rc rc = SL_OK;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return Sl_fail(s, SL_E_IO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return Sl_fail(s, SL_E_IO, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > SL_ASSESS_MAX_INPUT) {
		close(fd);
		return Sl_fail(s, SL_E_LIMIT,
		               "%s: larger than %llu bytes; not hashed", path,
		               (unsigned long long)SL_ASSESS_MAX_INPUT);
	}
	buf = malloc(chunk);
	md = EVP_MD_CTX_new();
	if (buf == NULL || md == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		rc = SL_E_NOMEM;
		goto out;
	}
	*size = 0;
	while ((r = read(fd, buf, chunk)) > 0) {
		*size += (uint64_t)r;
		EVP_DigestUpdate(md, buf, (size_t)r);
	}
	if (r < 0)
		rc = Sl_fail(s, SL_E_IO, "%s: %s", path, strerror(errno));
	else
		EVP_DigestFinal_ex(md, sha, &len);
out:
	EVP_MD_CTX_free(md);
	free(buf);
	close(fd);
	return rc;
}

static struct Sl_input *
input_add(struct sl_scan *s, const char *kind, const char *name)
{
	struct Sl_assess *as = Sl_assess_of(s);
	struct Sl_input *in;
	size_t i;

	if (as == NULL)
		return NULL;
	for (i = 0; i < as->nin; i++)
		if (strcmp(as->in[i].kind, kind) == 0 &&
		    strcmp(as->in[i].name, name) == 0)
			return &as->in[i];
	if (as->nin >= SL_ASSESS_MAX_INPUTS) {
		Sl_fail(s, SL_E_LIMIT, "more than %d inputs",
		        SL_ASSESS_MAX_INPUTS);
		return NULL;
	}
	in = &as->in[as->nin++];
	in->kind = Sl_arena_strdup(&s->arena, kind);
	in->name = Sl_arena_strdup(&s->arena, name);
	return in->kind && in->name ? in : NULL;
}

sl_rc
sl_scan_add_input(struct sl_scan *s, const char *kind, const char *name,
                  const char *path)
{
	struct Sl_input *in;
	sl_rc rc;

	if (kind == NULL || name == NULL || *name == 0)
		return Sl_fail(s, SL_E_USAGE, "input without kind or name");
	if ((in = input_add(s, kind, name)) == NULL)
		return SL_E_LIMIT;
	if (path == NULL || in->has_sha)
		return SL_OK;
	if ((rc = hash_file(s, path, in->sha, &in->size)) != SL_OK)
		return rc;
	in->has_sha = true;
	return SL_OK;
}

/* Copy finding f of another scan into s, its component set to label. */
static sl_rc
copy_finding(struct sl_scan *s, const struct sl_finding *f, const char *label)
{
	struct sl_finding c = *f;

	if (c.component == NULL)
		c.component = label;
	/* The excerpt was masked when f was added; nothing to mask again. */
	return sl_finding_add(s, &c, NULL);
}

sl_rc
sl_scan_merge(struct sl_scan *dst, struct sl_scan *src, const char *label)
{
	struct Sl_assess *as = Sl_assess_of(dst);
	size_t i;
	sl_rc rc;

	if (as == NULL)
		return SL_E_NOMEM;
	if (src == dst || label == NULL)
		return Sl_fail(dst, SL_E_USAGE, "merge: a scan into itself");
	if (as->nsrc >= SL_ARRAY_LEN(as->src))
		return Sl_fail(dst, SL_E_LIMIT, "merge: more than %zu scans",
		               SL_ARRAY_LEN(as->src));
	as->src[as->nsrc] = src;
	as->label[as->nsrc++] = Sl_arena_strdup(&dst->arena, label);
	for (i = 0; i < src->nfindings; i++)
		if ((rc = copy_finding(dst, src->findings[i], label)) != SL_OK)
			return rc;
	/*
	 * A source counts as covered when any scan covered it: the device
	 * of the assessment is one device whichever scan examined it, and
	 * two units run the same firmware.  "Not judged" stays only as the
	 * reason shown when no scan covered the source.
	 */
	for (i = 0; i < SL_NREQ; i++) {
		dst->covered[i] |= src->covered[i];
		dst->unjudged[i] |= src->unjudged[i];
		if (dst->unjudged_why[i][0] == NULL && src->unjudged_why[i][0])
			dst->unjudged_why[i][0] = Sl_arena_strdup(
			    &dst->arena, src->unjudged_why[i][0]);
		if (dst->unjudged_why[i][1] == NULL && src->unjudged_why[i][1])
			dst->unjudged_why[i][1] = Sl_arena_strdup(
			    &dst->arena, src->unjudged_why[i][1]);
	}
	for (i = 0; i < src->ncomponents; i++)
		if (!Sl_ptr_push((void ***)&dst->components, &dst->ncomponents,
		                 &dst->capcomponents, src->components[i]))
			return SL_E_NOMEM;
	for (i = 0; i < src->nincomplete; i++)
		Sl_incomplete(dst, "%s: %s", label, src->incomplete[i]);
	if (src->has_fw) {
		/* A companion app is unpacked like an image (sl_scan_app). */
		bool app = strncmp(label, "app ", 4) == 0;
		struct Sl_input *in =
		    input_add(dst, app ? "app" : "firmware", src->fw_name);

		if (in == NULL)
			return SL_E_LIMIT;
		in->has_sha = true;
		memcpy(in->sha, src->fw_sha, 32);
		in->size = src->fw_size;
		if (!dst->has_fw && !app) {
			/* The report's subject names the first unit. */
			dst->has_fw = true;
			dst->fw_name =
			    Sl_arena_strdup(&dst->arena, src->fw_name);
			memcpy(dst->fw_sha, src->fw_sha, 32);
			dst->fw_size = src->fw_size;
		}
	}
	if (src->device != NULL) {
		if (input_add(dst, "device", src->device) == NULL)
			return SL_E_LIMIT;
		if (dst->device == NULL)
			dst->device = Sl_arena_strdup(&dst->arena, src->device);
	}
	dst->decided = false;
	return SL_OK;
}

/* ---- rules that need two sources ---------------------------------- */

/* What the cross-checks report (check.h: findings as data). */
enum { F_UNDECLARED, F_NOT_SEEN };
static const struct Sl_finding_def findings[] = {
    [F_UNDECLARED] = {"ASSESS-UNDECLARED-SERVICE",
                      SL_SEV_MEDIUM,
                      {"S1.1-13"},
                      "A service the firmware starts is not declared in "
                      "the profile",
                      "Either stop the service in the firmware or declare "
                      "the interface in the product profile with its "
                      "purpose and access control."},
    [F_NOT_SEEN] = {"PROFILE-INTERFACE-NOT-SEEN",
                    SL_SEV_INFO,
                    {"S1.1-13"},
                    "The profile declares an interface no device answered "
                    "on",
                    "Correct the profile's interface list, or examine a "
                    "unit in the configuration the profile describes."},
    {NULL},
};

static const char *const covers[] = {"S1.1-13", NULL};

const struct Sl_finding_table Sl_findings_assess = {
    .owner = "assess",
    .covers = covers,
    .findings = findings,
};

/*
 * The firmware findings that say a network service is started at boot,
 * and where that service listens.  Port numbers are the services'
 * standard ones: the check saw the daemon, not its socket.
 */
static const struct {
	const char *id, *proto, *service;
	unsigned port;
} fw_service_ports[] = {
    {"FW-TELNETD-ENABLED", "tcp", "telnet", 23},
    {"FW-TELNETD-NO-LOGIN", "tcp", "telnet", 23},
    {"FW-FTPD-ENABLED", "tcp", "ftp", 21},
    {"FW-TFTPD-ENABLED", "udp", "tftp", 69},
    {"FW-ADBD-ENABLED", "tcp", "adb", 5555},
    {"FW-UPNP-ENABLED", "udp", "ssdp", 1900},
    {"FW-MQTT-ANONYMOUS", "tcp", "mqtt", 1883},
    {"FW-SSH-ROOT-PASSWORD-LOGIN", "tcp", "ssh", 22},
    {"FW-SSH-EMPTY-PASSWORD", "tcp", "ssh", 22},
};

/* Is f one of the findings that say the firmware starts proto/port? */
static bool
starts_port(const struct sl_finding *f, const char *proto, unsigned port)
{
	size_t k;

	for (k = 0; k < SL_ARRAY_LEN(fw_service_ports); k++)
		if (strcmp(f->id, fw_service_ports[k].id) == 0 &&
		    fw_service_ports[k].port == port &&
		    strcmp(fw_service_ports[k].proto, proto) == 0)
			return true;
	return false;
}

static bool
same_place(const struct sl_finding *a, const struct sl_finding *b)
{
	return a->evidence.path != NULL && b->evidence.path != NULL &&
	       strcmp(a->evidence.path, b->evidence.path) == 0 &&
	       a->evidence.offset == b->evidence.offset;
}

/* Every device scan of the assessment: s itself and the merged ones. */
static size_t
device_scans(struct sl_scan *s, struct sl_scan **out, size_t max)
{
	struct Sl_assess *as = s->assess;
	size_t n = 0, i;

	if (s->dev != NULL && n < max)
		out[n++] = s;
	for (i = 0; as != NULL && i < as->nsrc && n < max; i++)
		if (as->src[i]->dev != NULL)
			out[n++] = as->src[i];
	return n;
}

static const struct sl_service *
open_on(struct sl_scan *d, const char *proto, unsigned port)
{
	size_t i, n = sl_service_count(d);

	for (i = 0; i < n; i++) {
		const struct sl_service *v = sl_service_get(d, i);

		if (v->port == port && strcmp(v->proto, proto) == 0)
			return v;
	}
	return NULL;
}

/*
 * A service the firmware starts that the profile does not declare: one
 * finding per port (component "service tcp/23"), with the firmware's
 * start line and, when a device answered on that port, the device too,
 * so that both facts are shown together.
 */
static sl_rc
undeclared_services(struct sl_scan *s, struct sl_scan **dev, size_t ndev)
{
	const struct Sl_profile *p = s->profile;
	size_t nf = s->nfindings, i, k, d;
	sl_rc rc;

	for (k = 0; k < SL_ARRAY_LEN(fw_service_ports); k++) {
		const char *proto = fw_service_ports[k].proto;
		unsigned port = fw_service_ports[k].port;
		const char *comp, *title;
		bool seen = false;

		if (Sl_profile_declares(p, proto, port))
			continue;
		/* One entry of the table per port is enough. */
		for (i = 0; i < k; i++)
			if (fw_service_ports[i].port == port &&
			    strcmp(fw_service_ports[i].proto, proto) == 0)
				break;
		if (i < k)
			continue;
		comp = Sl_arena_printf(&s->arena, "service %s/%u", proto, port);
		title = Sl_arena_printf(
		    &s->arena,
		    "%s/%u (%s) is not declared in the profile but the "
		    "firmware starts it",
		    proto, port, fw_service_ports[k].service);
		for (i = 0; i < nf; i++) {
			const struct sl_finding *f = s->findings[i];
			size_t j;

			for (j = 0; j < SL_ARRAY_LEN(fw_service_ports); j++)
				if (strcmp(f->id, fw_service_ports[j].id) ==
				        0 &&
				    fw_service_ports[j].port == port &&
				    strcmp(fw_service_ports[j].proto, proto) ==
				        0)
					break;
			if (j == SL_ARRAY_LEN(fw_service_ports) ||
			    f->evidence.path == NULL)
				continue;
			/* Two findings on one start line are one fact. */
			for (j = 0; j < i; j++)
				if (same_place(s->findings[j], f) &&
				    starts_port(s->findings[j], proto, port))
					break;
			if (j < i)
				continue;
			seen = true;
			rc = Sl_report(
			    s, &findings[F_UNDECLARED],
			    &(struct Sl_at){.ev = &f->evidence,
			                    .component = comp,
			                    .title = title,
			                    .excerpt = Sl_arena_printf(
			                        &s->arena, "firmware (%s): %s",
			                        Sl_finding_component(s, f),
			                        f->evidence.excerpt
			                            ? f->evidence.excerpt
			                            : f->id)});
			if (rc != SL_OK)
				return rc;
		}
		if (!seen)
			continue;
		for (d = 0; d < ndev; d++) {
			const struct sl_service *v =
			    open_on(dev[d], proto, port);
			struct sl_evidence ev = {.host = dev[d]->device,
			                         .port = port};

			rc = Sl_report(
			    s, &findings[F_UNDECLARED],
			    &(struct Sl_at){
			        .ev = &ev,
			        .component = comp,
			        .title = title,
			        .excerpt =
			            v != NULL
			                ? Sl_arena_printf(
			                      &s->arena,
			                      "device: open (%s%s%s)",
			                      v->name ? v->name : "unknown",
			                      v->banner ? ": " : "",
			                      v->banner ? v->banner : "")
			                : "device: did not answer on this port "
			                  "(the firmware still starts the "
			                  "service)"});
			if (rc != SL_OK)
				return rc;
		}
	}
	return SL_OK;
}

/*
 * The other way: a tcp/udp interface the profile declares that no device
 * answered on and no firmware finding shows.  The profile then claims
 * more than was seen; an informational finding says so (a closed port
 * breaks no requirement, and the claim may hold on another set-up).
 */
static sl_rc
declared_not_seen(struct sl_scan *s, struct sl_scan **dev, size_t ndev)
{
	const struct Sl_profile *p = s->profile;
	size_t i, d, k, j;
	sl_rc rc;

	for (i = 0; i < p->nifaces; i++) {
		const struct Sl_iface *f = &p->ifaces[i];
		struct sl_evidence ev = {.host = dev[0]->device,
		                         .port = f->port};
		bool seen = false;

		if (f->port == 0)
			continue;
		for (d = 0; d < ndev && !seen; d++)
			seen = open_on(dev[d], f->proto, f->port) != NULL;
		for (k = 0; k < SL_ARRAY_LEN(fw_service_ports) && !seen; k++) {
			if (fw_service_ports[k].port != f->port ||
			    strcmp(fw_service_ports[k].proto, f->proto) != 0)
				continue;
			for (j = 0; j < s->nfindings && !seen; j++)
				seen = strcmp(s->findings[j]->id,
				              fw_service_ports[k].id) == 0;
		}
		if (seen)
			continue;
		rc = Sl_report(
		    s, &findings[F_NOT_SEEN],
		    &(struct Sl_at){
		        .ev = &ev,
		        .component = "profile",
		        .title = Sl_arena_printf(
		            &s->arena,
		            "the profile declares %s/%u%s%s%s but no device "
		            "answered on it",
		            f->proto, f->port, f->service ? " (" : "",
		            f->service ? f->service : "",
		            f->service ? ")" : ""),
		        .excerpt = Sl_arena_printf(
		            &s->arena,
		            "profile %s: interfaces: %s/%u purpose \"%s\"",
		            p->path ? p->path : "", f->proto, f->port,
		            f->purpose ? f->purpose : "")});
		if (rc != SL_OK)
			return rc;
	}
	return SL_OK;
}

sl_rc
sl_scan_cross_check(struct sl_scan *s)
{
	struct sl_scan *dev[SL_ASSESS_MAX_UNITS + 1];
	size_t ndev;
	sl_rc rc;

	if (s->profile == NULL)
		return SL_OK;
	ndev = device_scans(s, dev, SL_ARRAY_LEN(dev));
	if ((rc = undeclared_services(s, dev, ndev)) != SL_OK)
		return rc;
	if (ndev > 0)
		return declared_not_seen(s, dev, ndev);
	return SL_OK;
}

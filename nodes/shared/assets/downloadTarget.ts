/**
 * Where a download may go. The URL comes from Hoox's status answer, yet the file host is still
 * the network's: refuse private, loopback and link-local targets (an n8n server is usually
 * inside a private network) unless the Hoox Base URL itself is such a host (the local sandbox,
 * a proxy on the LAN); follow redirects ourselves, a bounded number of hops, only to the media
 * host Hoox named or to Hoox's own domain.
 *
 * Only literal addresses and well-known local names are recognised: a public DNS name that
 * resolves to a private address (or re-resolves, "DNS rebinding") is not caught here.
 */

export const MAX_REDIRECTS = 5;

export interface DownloadTargets {
	/** Whether private/loopback/link-local hosts may be reached (the Base URL is one). */
	allowPrivate: boolean;
	/** Hoox's own host (with its port) and, for a DNS name, its domain: redirects may go there. */
	hooxHost: string;
	hooxDomain?: string;
}

/** The targets allowed for downloads made with this Hoox Base URL. */
export function downloadTargets(baseUrl: string): DownloadTargets {
	let url: URL | undefined;
	try {
		url = new URL(baseUrl);
	} catch {
		// an unreadable Base URL: nothing private, no Hoox host
	}
	const hostname = url?.hostname.toLowerCase() ?? '';
	const labels = hostname.split('.');
	const hooxDomain =
		isIpAddress(hostname) || labels.length < 2 ? undefined : labels.slice(-2).join('.');
	return {
		allowPrivate: hostname !== '' && isPrivateHost(hostname),
		hooxHost: url?.host.toLowerCase() ?? '',
		hooxDomain,
	};
}

/** Why the download must not fetch `url`, or undefined. */
export function refusedTarget(url: URL, targets: DownloadTargets): string | undefined {
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		return `the URL is not http(s) (${url.protocol})`;
	if (url.username || url.password) return 'the URL carries a user name or password';
	if (!targets.allowPrivate && isPrivateHost(url.hostname))
		return `${url.hostname} is a private, loopback or link-local address (allowed only when the Hoox Base URL is one)`;
	return undefined;
}

/**
 * Why a redirect from `from` to `to` is refused. `mediaHost` is the host (with port) of the URL
 * Hoox gave; a different port is a different server.
 */
export function refusedRedirect(
	from: URL,
	to: URL,
	mediaHost: string,
	targets: DownloadTargets,
): string | undefined {
	const refused = refusedTarget(to, targets);
	if (refused) return refused;
	if (from.protocol === 'https:' && to.protocol !== 'https:')
		return 'it leads from https to plain http';
	const host = to.host.toLowerCase();
	const hostname = to.hostname.toLowerCase();
	const domain = targets.hooxDomain;
	const known =
		host === mediaHost.toLowerCase() ||
		host === targets.hooxHost ||
		(domain !== undefined && (hostname === domain || hostname.endsWith(`.${domain}`)));
	return known ? undefined : `it leads to another host (${host})`;
}

/** Loopback, private, link-local, unique-local, CGNAT, multicast and local-only names. */
export function isPrivateHost(hostname: string): boolean {
	const host = hostname
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '');
	if (host === '' || host === 'localhost') return true;
	if (/\.(localhost|local|internal|home\.arpa|lan)$/.test(host)) return true;
	const v4 = parseIpv4(host);
	if (v4) return isPrivateIpv4(v4);
	if (host.includes(':')) return isPrivateIpv6(host);
	// a single-label name (intranet, metadata) only resolves inside a network
	return !host.includes('.');
}

function isIpAddress(host: string): boolean {
	return parseIpv4(host) !== undefined || host.includes(':') || host.startsWith('[');
}

function parseIpv4(host: string): number[] | undefined {
	const parts = host.split('.');
	if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
	const bytes = parts.map(Number);
	return bytes.every((b) => b <= 255) ? bytes : undefined;
}

function isPrivateIpv4([a, b]: number[]): boolean {
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		(a === 100 && b >= 64 && b <= 127) ||
		(a === 169 && b === 254) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		(a === 192 && b === 0) ||
		(a === 198 && (b === 18 || b === 19)) ||
		a >= 224
	);
}

function isPrivateIpv6(host: string): boolean {
	const groups = expandIpv6(host);
	if (!groups) return true; // unreadable: do not take the chance
	if (groups.every((g) => g === 0)) return true; // ::
	if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return true; // ::1
	const first = groups[0];
	if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
	if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
	if ((first & 0xff00) === 0xff00) return true; // multicast
	const embedsIpv4 =
		(groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0xffff || groups[5] === 0)) ||
		(first === 0x64 && groups[1] === 0xff9b); // ::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::/96
	if (embedsIpv4) {
		const v4 = [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff];
		return isPrivateIpv4(v4);
	}
	return false;
}

function expandIpv6(host: string): number[] | undefined {
	let text = host.split('%')[0];
	const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (v4) {
		const bytes = parseIpv4(v4[1]);
		if (!bytes) return undefined;
		text = `${text.slice(0, -v4[1].length)}${((bytes[0] << 8) | bytes[1]).toString(16)}:${((bytes[2] << 8) | bytes[3]).toString(16)}`;
	}
	const [head, tail, extra] = text.split('::');
	if (extra !== undefined) return undefined;
	const read = (part: string) => (part === '' ? [] : part.split(':'));
	const left = read(head);
	const right = tail === undefined ? [] : read(tail);
	const missing = 8 - left.length - right.length;
	if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
	const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
	if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
	return all.map((g) => parseInt(g, 16));
}

/**
 * Where a webhook may not send (server-side request forgery): loopback, private, shared,
 * link-local (and with it the cloud metadata address 169.254.169.254), unique-local, multicast,
 * documentation and reserved ranges, and the IPv6 forms that embed an IPv4 address. Checked on the addresses a name resolves to at send time,
 * and the connection goes to the address that was checked, so a name cannot pass the check and
 * then resolve elsewhere (DNS rebinding).
 */
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [network, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.0.2.0', 24],
	['192.88.99.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['198.51.100.0', 24],
	['203.0.113.0', 24],
	['224.0.0.0', 4],
	['240.0.0.0', 4]
] as const) {
	blocked.addSubnet(network, prefix, 'ipv4');
}
// With the IPv6 forms that carry an IPv4 address and can lead to it: IPv4-compatible
// (`::a.b.c.d`, with the unspecified and loopback addresses in it), NAT64, 6to4 and Teredo; and
// the old site-local range. Before 2026-12-07, `[::127.0.0.1]` and `[2002:7f00:1::]` passed.
for (const [network, prefix] of [
	['::', 96],
	['64:ff9b::', 96],
	['2002::', 16],
	['2001::', 32],
	['fec0::', 10],
	['64:ff9b:1::', 48],
	['100::', 64],
	['2001:db8::', 32],
	['fc00::', 7],
	['fe80::', 10],
	['ff00::', 8]
] as const) {
	blocked.addSubnet(network, prefix, 'ipv6');
}

const mappedV4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** True for an address a webhook must not reach unless private targets are allowed. */
export function isForbiddenAddress(address: string): boolean {
	const bare = address.startsWith('[') ? address.slice(1, -1) : address;
	const mapped = mappedV4.exec(bare);
	if (mapped) return isForbiddenAddress(mapped[1]!);
	const family = isIP(bare);
	if (family === 4) return blocked.check(bare, 'ipv4');
	if (family === 6) return blocked.check(bare, 'ipv6');
	return true;
}

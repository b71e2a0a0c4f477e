import { describe, expect, it } from 'vitest';
import { isForbiddenAddress } from './address-policy.ts';

describe('webhook target addresses', () => {
	it('refuses loopback, private, link-local, metadata and reserved addresses', () => {
		for (const address of [
			'127.0.0.1',
			'127.255.0.9',
			'10.1.2.3',
			'172.16.0.1',
			'172.31.255.255',
			'192.168.1.1',
			'169.254.169.254',
			'100.64.0.1',
			'0.0.0.0',
			'224.0.0.1',
			'255.255.255.255',
			'::1',
			'::',
			'fe80::1',
			'fd00:ec2::254',
			'::ffff:127.0.0.1',
			'::ffff:10.0.0.1',
			'::ffff:7f00:1',
			'::127.0.0.1',
			'[::7f00:1]',
			'2002:7f00:1::',
			'2002:a00:1::1',
			'2001:0:4136:e378:8000:63bf:3fff:fdd2',
			'64:ff9b::7f00:1',
			'fec0::1',
			'[::1]',
			'not an address'
		]) {
			expect(isForbiddenAddress(address), address).toBe(true);
		}
	});

	it('allows public addresses', () => {
		for (const address of [
			'93.184.216.34',
			'8.8.8.8',
			'172.32.0.1',
			'2606:4700::1111',
			'2001:4860:4860::8888',
			'::ffff:8.8.4.4'
		]) {
			expect(isForbiddenAddress(address), address).toBe(false);
		}
	});
});

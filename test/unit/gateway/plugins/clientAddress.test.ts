import type { IncomingMessage } from 'node:http';
import { clientAddressResolver, clientKey, trustedProxyAddress } from '../../../../gateway/plugins/clientAddress';

/** A request as Node hands it over: the socket's remote address and the headers. */
const request = (remoteAddress: string | undefined, forwardedFor?: string) =>
  ({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

describe('the client address unauthenticated traffic is counted by', () => {
  it('is the socket\'s, and no header a client writes changes it, unless a proxy is trusted', () => {
    const addressOf = clientAddressResolver();
    expect(addressOf(request('203.0.113.7'))).toBe('203.0.113.7');
    expect(addressOf(request('203.0.113.7', '198.51.100.1'))).toBe('203.0.113.7');
    expect(addressOf(request('127.0.0.1', '198.51.100.1'))).toBe('127.0.0.1');
  });

  it('is what a trusted proxy forwarded: the nearest hop no trusted proxy wrote', () => {
    const addressOf = clientAddressResolver(['127.0.0.1', '10.0.0.0/8']);
    expect(addressOf(request('127.0.0.1', '198.51.100.9'))).toBe('198.51.100.9');
    // The client wrote 192.0.2.1 itself; the trusted proxies vouch only for 198.51.100.9.
    expect(addressOf(request('127.0.0.1', '192.0.2.1, 198.51.100.9, 10.0.0.5'))).toBe('198.51.100.9');
    // Not from a trusted proxy: its header is the client's own claim.
    expect(addressOf(request('203.0.113.7', '198.51.100.9'))).toBe('203.0.113.7');
    expect(addressOf(request('127.0.0.1'))).toBe('127.0.0.1');
  });

  it('counts an IPv6 client by its /64 and an IPv4-mapped address as IPv4', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:ffff:1:2:3')).toBe(clientKey('2001:db8:1:2::9'));
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressResolver()(request('::ffff:203.0.113.7'))).toBe('203.0.113.7');
  });

  it('is unknown once the socket is gone', () => {
    expect(clientAddressResolver()(request(undefined))).toBeUndefined();
  });

  it('refuses to start with a proxy list it cannot read', () => {
    expect(() => clientAddressResolver(['not-an-address'])).toThrow(/^Invalid trusted proxies \(TRUSTED_PROXIES\): /);
  });
});

describe('a trusted proxy, not held to one client\'s connections', () => {
  it('is an address in the list, and no address when the list is empty', () => {
    const trusted = trustedProxyAddress(['10.0.0.0/8', '::1']);
    expect([trusted('10.1.2.3'), trusted('::1'), trusted('203.0.113.7'), trusted('127.0.0.1')]).toEqual([true, true, false, false]);
    expect(trustedProxyAddress()('127.0.0.1')).toBe(false);
  });
});

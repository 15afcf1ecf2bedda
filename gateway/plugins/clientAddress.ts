import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

/**
 * Who sent a request on the network, for limiting unauthenticated traffic per client: the
 * socket's remote address; `x-forwarded-for` only as far as it was written by a trusted proxy
 * (proxy-addr: the nearest address a trusted hop vouches for, never one a client wrote itself).
 *
 * One client holds a whole IPv6 /64 (SLAAC, privacy addresses), so an IPv6 address is counted
 * by its /64; an IPv4-mapped IPv6 address (`::ffff:203.0.113.7`) as the IPv4 address.
 * `undefined` when the socket is already gone.
 *
 * `trustedProxies`: addresses or CIDR ranges (`10.0.0.0/8`, `::1`) and proxy-addr's names
 * `loopback`, `linklocal`, `uniquelocal`. Empty (the default): every header is ignored.
 */
export function clientAddressResolver(trustedProxies: readonly string[] = []): (req: IncomingMessage) => string | undefined {
  const trusted = compileTrusted(trustedProxies);
  return (req) => {
    if (req.socket.remoteAddress === undefined) return undefined;
    return clientKey(trustedProxies.length === 0 ? req.socket.remoteAddress : proxyAddr(req, trusted));
  };
}

/** The address a client is counted by (see `clientAddressResolver`). */
export function clientKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/64`).toString()}/64`;
}

/**
 * Whether a socket's address is one of `trustedProxies`: such a proxy carries many clients on
 * its one address, so the gateway does not hold it to one client's connections (lib/http/httpLimits.ts).
 */
export function trustedProxyAddress(trustedProxies: readonly string[] = []): (address: string) => boolean {
  if (trustedProxies.length === 0) return () => false;
  const trusted = compileTrusted(trustedProxies);
  return (address) => trusted(address, 0);
}

function compileTrusted(trustedProxies: readonly string[]): (address: string, hop: number) => boolean {
  try {
    return proxyAddr.compile([...trustedProxies]);
  } catch (error) {
    throw new Error(`Invalid trusted proxies (TRUSTED_PROXIES): ${(error as Error).message}`);
  }
}

import {
  DOCKER_HUB_DOMAIN,
  LEGACY_DOCKER_HUB_DOMAIN,
  OFFICIAL_NAMESPACE,
  domainNamePattern,
  ipv6AddressPattern,
  portPattern,
} from './grammar.js';

/** A reference split into its registry domain and the rest (path, tag, digest). */
export interface DomainSplit {
  /** The registry domain, already normalised (`index.docker.io` → `docker.io`). */
  domain: string;
  /** Everything after the domain, with `library/` added for single-component Hub names. */
  remainder: string;
  /** True when the first component was taken as a domain only because it has uppercase letters. */
  domainFromUppercase: boolean;
}

/**
 * Splits a reference into domain and remainder the way the Docker CLI does (normalize.go's
 * splitDockerDomain): the first component is a domain when it is `localhost`, contains `.`
 * or `:`, or has uppercase letters (a path never may); otherwise the image is on Docker Hub.
 */
export function splitDomain(text: string): DomainSplit {
  const slashIndex = text.indexOf('/');
  if (slashIndex === -1) {
    // A single component is always a Docker Hub name, even "localhost" or "example.com:5000"
    // (the part after ":" is then a tag).
    return { domain: DOCKER_HUB_DOMAIN, remainder: `${OFFICIAL_NAMESPACE}/${text}`, domainFromUppercase: false };
  }
  const first = text.slice(0, slashIndex);
  const rest = text.slice(slashIndex + 1);
  let domain: string;
  let remainder: string;
  let domainFromUppercase = false;
  if (first === 'localhost') {
    [domain, remainder] = [first, rest];
  } else if (first === LEGACY_DOCKER_HUB_DOMAIN) {
    [domain, remainder] = [DOCKER_HUB_DOMAIN, rest];
  } else if (first.includes('.') || first.includes(':')) {
    [domain, remainder] = [first, rest];
  } else if (first.toLowerCase() !== first) {
    [domain, remainder] = [first, rest];
    domainFromUppercase = true;
  } else {
    [domain, remainder] = [DOCKER_HUB_DOMAIN, text];
  }
  if (domain === DOCKER_HUB_DOMAIN && !remainder.includes('/')) {
    remainder = `${OFFICIAL_NAMESPACE}/${remainder}`;
  }
  return { domain, remainder, domainFromUppercase };
}

/**
 * Says what is wrong with a registry domain (`host[:port]`, host a DNS name, an IPv4 address
 * or a bracketed IPv6 address without zone), or returns undefined when it is valid.
 */
export function describeDomainProblem(domain: string): string | undefined {
  let host: string;
  let port: string | undefined;
  if (domain.startsWith('[')) {
    const closing = domain.indexOf(']');
    if (closing === -1) return `registry address ${JSON.stringify(domain)} opens "[" without closing "]"`;
    host = domain.slice(0, closing + 1);
    const afterHost = domain.slice(closing + 1);
    if (afterHost !== '') {
      if (!afterHost.startsWith(':')) {
        return `registry address ${JSON.stringify(domain)} has unexpected text after the IPv6 address`;
      }
      port = afterHost.slice(1);
    }
    if (!ipv6AddressPattern.test(host.slice(1, -1))) {
      return `registry address ${JSON.stringify(host)} is not a valid IPv6 address: only hex digits and ":" are allowed between the brackets (no zone such as "%eth0", no embedded IPv4)`;
    }
  } else {
    const colonIndex = domain.indexOf(':');
    if (colonIndex !== domain.lastIndexOf(':')) {
      return `registry address ${JSON.stringify(domain)} has more than one ":"; an IPv6 address needs brackets: "[fc00::1]:5000"`;
    }
    host = colonIndex === -1 ? domain : domain.slice(0, colonIndex);
    if (colonIndex !== -1) port = domain.slice(colonIndex + 1);
    if (!domainNamePattern.test(host)) {
      return `registry host ${JSON.stringify(host)} is not a valid host name or IPv4 address (an IPv6 address needs brackets: "[::1]:5000")`;
    }
  }
  if (port !== undefined && !portPattern.test(port)) {
    return `registry port ${JSON.stringify(port)} is not a number`;
  }
  return undefined;
}

// @berth/transport-tcp: an engine reached over TCP, plain HTTP or (mutual) TLS, as a Berth transport.
export { tcpTransport, type TcpTransportOptions } from './tcp-transport.js';
export { tlsOptionsFromCertPath, type TcpTlsOptions, type TlsMaterial } from './tls-material.js';
export { DEFAULT_TCP_PORT, DEFAULT_TLS_PORT } from './parse-host.js';

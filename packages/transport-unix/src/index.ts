// @berth/transport-unix: the engine's Unix socket as a Berth transport.
export { unixTransport, DEFAULT_DOCKER_SOCKET, type UnixTransportOptions } from './unix-transport.js';
